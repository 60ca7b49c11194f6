namespace Suite.Messaging;

/// <summary>
/// Does the work of one kind of job (<c>services.AddJobHandler&lt;THandler&gt;(kind)</c>). Everything it
/// produces goes through <see cref="JobContext"/> into the job's stream. Delivery is at least once: a job
/// whose worker died runs again as the next attempt, so a handler should be safe to run twice.
/// Resolved from a new DI scope for every run.
/// </summary>
public interface IJobHandler
{
    /// <summary>
    /// Runs the job. Returning without calling <see cref="JobContext.CompleteAsync{T}"/> or
    /// <see cref="JobContext.FailAsync"/> completes it without a result; throwing
    /// <see cref="JobFailedException"/> fails it with that message; any other exception fails it with a
    /// generic message (the exception is logged, not shown to the owner). <paramref name="cancellationToken"/>
    /// fires when the job is cancelled, when a later attempt has taken over, or when the worker shuts down
    /// past its drain timeout (the job then runs again elsewhere).
    /// </summary>
    Task RunAsync(JobContext context, CancellationToken cancellationToken);
}
