namespace Suite.ServiceDefaults;

/// <summary>
/// Timeouts, retries and circuit breaker of the resilience handler every HttpClient gets.
/// Defaults for all clients bind from <c>Suite:Http:Resilience</c>; one client changes its own
/// with <c>AddSuiteResilience(o =&gt; ...)</c>. Timeouts cover the call until the response
/// headers arrive, so a streamed body may run longer than <see cref="TotalTimeout"/>.
/// </summary>
public sealed class HttpResilienceOptions
{
    /// <summary>Time for the whole call, retries and their delays included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Time for one attempt; an attempt that runs out is retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt; 0 turns retrying off.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base of the exponential backoff (1 s, 2 s, 4 s ... with jitter).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest backoff between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Spreads retries of many clients apart so they do not arrive together.</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>
    /// Longest <c>Retry-After</c> the handler waits out. A response asking for a longer wait is
    /// returned to the caller as it is, so it can go elsewhere (another deployment, another model).
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Share of failed calls within the sampling window that opens the circuit.</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.1;

    /// <summary>Calls needed within the sampling window before the circuit can open.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 100;

    /// <summary>Window over which failures are counted.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses calls before letting one through to test the service.</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
