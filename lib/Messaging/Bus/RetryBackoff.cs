namespace Suite.Messaging;

/// <summary>
/// Delay before a failed message is delivered again: <see cref="Base"/> doubled per failed attempt, capped
/// at <see cref="Max"/>, with jitter (a random 50–100 % of that) so that a burst of failures does not
/// come back as a burst.
/// </summary>
public sealed class RetryBackoff
{
    public TimeSpan Base { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan Max { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The delay after the <paramref name="failedAttempt"/>-th delivery failed (1-based).</summary>
    public TimeSpan DelayAfter(int failedAttempt)
    {
        var exponent = Math.Clamp(failedAttempt - 1, 0, 30);
        var ceiling = Math.Min(Base.TotalMilliseconds * Math.Pow(2, exponent), Max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + Random.Shared.NextDouble() * 0.5));
    }
}
