namespace Suite.AppHost.Orchestration;

/// <summary>
/// Delays between restarts of a crashing process: <see cref="Initial"/>, doubling each time, capped at
/// <see cref="Max"/>; back to the start once the process has stayed healthy for <see cref="ResetAfter"/>.
/// </summary>
internal sealed class RestartBackoff(TimeSpan initial, TimeSpan max, TimeSpan resetAfter)
{
    private int _failures;

    public static RestartBackoff Default() =>
        new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));

    public TimeSpan Initial { get; } = initial;

    public TimeSpan Max { get; } = max;

    public TimeSpan ResetAfter { get; } = resetAfter;

    /// <summary>The delay before the next restart; each call counts one more failure.</summary>
    public TimeSpan Next()
    {
        // Past 2^20 the cap has long been reached; stopping there keeps the arithmetic finite.
        var factor = Math.Pow(2, Math.Min(_failures, 20));
        _failures++;
        return TimeSpan.FromTicks((long)Math.Min(Initial.Ticks * factor, Max.Ticks));
    }

    /// <summary>Called when a process exits: a long healthy run forgives the failures before it.</summary>
    public void ExitedAfterHealthyFor(TimeSpan? healthyFor)
    {
        if (healthyFor >= ResetAfter)
            _failures = 0;
    }
}
