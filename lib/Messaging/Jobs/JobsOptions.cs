namespace Suite.Messaging;

/// <summary>Settings of the job store, workers and endpoints, bound from the <c>Jobs</c> section.</summary>
public sealed class JobsOptions
{
    /// <summary>How long a job's event stream is kept after the job ends (EXPIRE); its status row stays.</summary>
    public TimeSpan StreamExpiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Most events kept per job (the oldest are trimmed, in batches of a tenth of this); unset keeps them
    /// all. A resume point older than what is kept answers 410.
    /// </summary>
    public long? MaxEventsPerJob { get; set; }

    /// <summary>Interval of the <c>: keep-alive</c> comment on an idle SSE stream.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Events read from Redis at a time for one SSE client; with the socket buffers this bounds the memory of a slow client.</summary>
    public int EventPageSize { get; set; } = 100;

    /// <summary>
    /// How often a running job checks its cancel flag. Cancellation normally reaches the worker at once
    /// over pub/sub; this bounds the delay when that message is lost.
    /// </summary>
    public TimeSpan CancelPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest result (JSON bytes) copied into the status row; larger results live only in the stream.</summary>
    public int MaxResultSummaryBytes { get; set; } = 4096;

    /// <summary>
    /// A request header that names the caller for the default <see cref="IJobOwnerResolver"/>, for
    /// services behind the Gateway (which sets it) and tests. Unset: only an authenticated user counts.
    /// Never expose a service that trusts this header to the outside.
    /// </summary>
    public string? OwnerHeader { get; set; }

    /// <summary>How long the shared stream follower's XREAD waits on the server before it looks again.</summary>
    public TimeSpan FollowerBlockTime { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        if (StreamExpiry <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(StreamExpiry), StreamExpiry, "Jobs:StreamExpiry must be positive.");
        if (KeepAliveInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(KeepAliveInterval), KeepAliveInterval, "Jobs:KeepAliveInterval must be positive.");
        if (EventPageSize is < 1 or > 10_000)
            throw new ArgumentOutOfRangeException(nameof(EventPageSize), EventPageSize, "Jobs:EventPageSize must be between 1 and 10000.");
        if (MaxEventsPerJob is < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxEventsPerJob), MaxEventsPerJob, "Jobs:MaxEventsPerJob must be positive.");
        if (CancelPollInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(CancelPollInterval), CancelPollInterval, "Jobs:CancelPollInterval must be positive.");
        if (FollowerBlockTime <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(FollowerBlockTime), FollowerBlockTime, "Jobs:FollowerBlockTime must be positive.");
    }
}
