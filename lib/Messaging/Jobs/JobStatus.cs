namespace Suite.Messaging;

/// <summary>Where a job is in its life. On the wire and in <c>jobs.jobs</c> these are lower-case words.</summary>
public enum JobStatus
{
    /// <summary>Accepted and waiting for a worker.</summary>
    Queued,

    /// <summary>A worker runs it (see the attempt number for how many times it was started).</summary>
    Running,

    /// <summary>Finished with a result. Terminal.</summary>
    Succeeded,

    /// <summary>Finished with an error. Terminal.</summary>
    Failed,

    /// <summary>Cancelled on request. Terminal.</summary>
    Cancelled,
}
