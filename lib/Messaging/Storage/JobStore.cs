namespace Suite.Messaging;

/// <summary>
/// Reads jobs: the status row in PostgreSQL (<c>jobs.jobs</c>) and the events in the Redis stream
/// <c>job:{id}</c>. Jobs are written by <see cref="IJobQueue"/> and by the workers' <see cref="JobContext"/>.
/// </summary>
public sealed class JobStore
{
    internal JobStore(JobTable table, JobStreams streams)
    {
        Table = table;
        Streams = streams;
    }

    internal JobTable Table { get; }

    internal JobStreams Streams { get; }

    /// <summary>The key of a job's event stream.</summary>
    public static string StreamKey(string jobId) => JobStreams.StreamKey(jobId);

    /// <summary>The job's status row, or null when there is no such job.</summary>
    public Task<JobInfo?> GetAsync(string jobId, CancellationToken cancellationToken = default) =>
        JobId.IsValid(jobId) ? Table.GetAsync(jobId, cancellationToken) : Task.FromResult<JobInfo?>(null);

    /// <summary>Up to <paramref name="limit"/> of the owner's jobs, newest first, older than <paramref name="after"/> when given.</summary>
    public Task<IReadOnlyList<JobInfo>> ListAsync(string owner, string? after = null, int limit = 20, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return Table.ListAsync(owner, after, limit, cancellationToken);
    }

    /// <summary>Up to <paramref name="count"/> events strictly after <paramref name="afterId"/> (from the start when null), oldest first.</summary>
    public Task<IReadOnlyList<JobEvent>> ReadEventsAsync(string jobId, string? afterId = null, int count = 100, CancellationToken cancellationToken = default)
    {
        if (afterId is not null && !StreamIds.IsValid(afterId))
            throw new ArgumentException($"'{afterId}' is not a stream entry id (ms-seq).", nameof(afterId));
        return Streams.ReadAsync(jobId, afterId, count, cancellationToken);
    }

    /// <summary>
    /// Cancels the job: its stream ends with a <c>cancelled</c> status at once, and the worker running
    /// it (if any) sees its cancellation token fire. Returns the job as it is afterwards (ended some other
    /// way when it had finished before), or null when there is no such job.
    /// </summary>
    public Task<JobInfo?> CancelAsync(string jobId, CancellationToken cancellationToken = default) =>
        EndAsync(jobId, JobStatus.Cancelled, new JobError("The job was cancelled on request.", "cancelled"), cancellationToken);

    /// <summary>
    /// Fails the job from outside its worker (its message was dead-lettered, say): the stream ends with a
    /// <c>failed</c> status and <paramref name="error"/>, and a worker still running it sees its token fire.
    /// A job that had already ended keeps its end.
    /// </summary>
    public Task<JobInfo?> FailAsync(string jobId, JobError error, CancellationToken cancellationToken = default) =>
        EndAsync(jobId, JobStatus.Failed, error, cancellationToken);

    /// <summary>Ends the job over any attempt (attempt -1), then tells its worker to stop.</summary>
    private async Task<JobInfo?> EndAsync(string jobId, JobStatus status, JobError error, CancellationToken cancellationToken)
    {
        var job = await GetAsync(jobId, cancellationToken);
        if (job is null || job.IsTerminal)
            return job;
        var ended = await Streams.FinishAsync(jobId, -1, status, null, null, JobJson.Serialize(error), null, cancellationToken);
        if (ended is not null)
            await Table.MarkEndedAsync(jobId, ended, cancellationToken);
        await Streams.PublishCancelAsync(jobId, cancellationToken);
        return await Table.GetAsync(jobId, cancellationToken);
    }
}
