namespace Suite.ServiceDefaults;

/// <summary>
/// How a service drains when asked to stop (SIGTERM). Bound from the <c>Suite</c> section:
/// <c>Suite:DrainTimeout</c>, <c>Suite:DrainDelay</c>.
/// </summary>
public sealed class DrainOptions
{
    /// <summary>
    /// Longest time, counted from the start of the drain, that in-flight requests get to finish
    /// before the host stops anyway. Orchestrators' grace periods should be longer than this.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Time the instance keeps answering <c>/health</c> with 503 before it stops, even when idle,
    /// so load balancers take it out of rotation. Unset: 5 s, or 0 in Development.
    /// </summary>
    public TimeSpan? DrainDelay { get; set; }

    /// <summary>The <c>Retry-After</c> sent with the 503 that refuses new work while draining.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
