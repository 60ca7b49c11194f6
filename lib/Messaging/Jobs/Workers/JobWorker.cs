using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Suite.Messaging;

/// <summary>
/// The bus handler of <c>jobs:{kind}</c>: starts the attempt (status event "running" with the delivery's
/// attempt number), runs the job's <typeparamref name="THandler"/>, and ends the job. A job that had ended
/// is skipped; a cancel or a later attempt stops the handler; a shutdown past the drain timeout leaves
/// the message pending so that another worker runs the job as the next attempt.
/// </summary>
internal sealed partial class JobWorker<THandler>(
    JobStore store,
    THandler handler,
    JobCancellations cancellations,
    IOptions<JobsOptions> options,
    ILogger<JobWorker<THandler>> logger) : IMessageHandler<JobMessage>
    where THandler : class, IJobHandler
{
    private const string HandlerErrorMessage = "The job failed because of an unexpected error in its handler.";

    public async Task HandleAsync(MessageContext<JobMessage> delivery, CancellationToken cancellationToken)
    {
        var message = delivery.Message;
        var jobId = message.JobId;
        var job = await store.Table.GetAsync(jobId, cancellationToken);
        if (job is null)
        {
            LogUnknownJob(logger, jobId, delivery.Topic);
            return;
        }
        if (job.IsTerminal)
            return; // A duplicate delivery of a job that has ended.

        var (attempt, eventId, endedBefore) = await store.Streams.StartAsync(jobId, delivery.Attempt, cancellationToken);
        if (endedBefore is not null)
        {
            // Ended (cancelled, or finished by a worker that died before updating the row): repair the row.
            await store.Table.MarkEndedAsync(jobId, endedBefore, cancellationToken);
            return;
        }
        await store.Table.MarkRunningAsync(jobId, attempt, eventId, cancellationToken);
        LogStarted(logger, jobId, message.Kind, attempt);

        using var stop = new CancellationTokenSource();
        using var watch = await cancellations.WatchAsync(jobId, stop, cancellationToken);
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop.Token);
        var context = new JobContext(store.Streams, message, attempt, stop, options.Value.MaxResultSummaryBytes);
        using var polling = new CancellationTokenSource();
        var poll = PollAsync(jobId, attempt, stop, polling.Token);
        try
        {
            await RunAsync(context, running.Token, cancellationToken, stop);
        }
        finally
        {
            await polling.CancelAsync();
            await poll;
        }

        var ended = context.Ended ?? await store.Streams.EndedAsync(jobId, CancellationToken.None);
        if (ended is not null)
        {
            await store.Table.MarkEndedAsync(jobId, ended, CancellationToken.None);
            LogEnded(logger, jobId, attempt, ended.Status.ToText());
        }
        else
        {
            // A later attempt owns the job now; it writes the end.
            LogSuperseded(logger, jobId, attempt);
        }
    }

    private async Task RunAsync(JobContext context, CancellationToken running, CancellationToken shutdown, CancellationTokenSource stop)
    {
        try
        {
            await handler.RunAsync(context, running);
            if (!context.IsFinished)
                await context.CompleteAsync<object?>(null, CancellationToken.None);
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // Cancelled, or taken over by a later attempt: the job's end is written already or by that attempt.
        }
        catch (Exception) when (shutdown.IsCancellationRequested)
        {
            // Shutting down past the drain timeout: leave the message pending; the job runs again elsewhere.
            LogAbandoned(logger, context.JobId, context.Attempt);
            throw;
        }
        catch (JobFailedException ex)
        {
            await FailAsync(context, ex.Message, ex.Code, stop);
        }
        catch (Exception ex)
        {
            LogHandlerFailed(logger, ex, context.JobId, context.Attempt);
            await FailAsync(context, HandlerErrorMessage, "handler_error", stop);
        }
    }

    private static async Task FailAsync(JobContext context, string message, string? code, CancellationTokenSource stop)
    {
        try
        {
            await context.FailAsync(message, code, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // It had ended meanwhile (cancelled): that end stands.
        }
    }

    /// <summary>
    /// The fallback for a lost pub/sub cancel: looks at the job's state every poll interval, and stops the
    /// handler once the job has ended or a later attempt has started.
    /// </summary>
    private async Task PollAsync(string jobId, int attempt, CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.CancelPollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    var (terminal, current) = await store.Streams.StateAsync(jobId, cancellationToken);
                    if (terminal is not null || current > attempt)
                    {
                        await stop.CancelAsync();
                        return;
                    }
                }
                catch (Suite.Redis.RedisException ex)
                {
                    LogPollFailed(logger, ex, jobId);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The handler has returned.
        }
    }

    [LoggerMessage(LogLevel.Warning, "Job message for unknown job {JobId} on {Topic}; acknowledged and dropped")]
    private static partial void LogUnknownJob(ILogger logger, string jobId, string topic);

    [LoggerMessage(LogLevel.Information, "Job {JobId} ({Kind}) started, attempt {Attempt}")]
    private static partial void LogStarted(ILogger logger, string jobId, string kind, int attempt);

    [LoggerMessage(LogLevel.Information, "Job {JobId} attempt {Attempt} ended: {Status}")]
    private static partial void LogEnded(ILogger logger, string jobId, int attempt, string status);

    [LoggerMessage(LogLevel.Warning, "Job {JobId} attempt {Attempt} stopped: a later attempt has taken the job over")]
    private static partial void LogSuperseded(ILogger logger, string jobId, int attempt);

    [LoggerMessage(LogLevel.Warning, "Job {JobId} attempt {Attempt} abandoned at shutdown; it stays pending for another worker")]
    private static partial void LogAbandoned(ILogger logger, string jobId, int attempt);

    [LoggerMessage(LogLevel.Error, "Job {JobId} attempt {Attempt}: the handler failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string jobId, int attempt);

    [LoggerMessage(LogLevel.Warning, "Job {JobId}: checking for a cancel failed")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string jobId);
}
