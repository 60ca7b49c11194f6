using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Suite.Messaging;

/// <summary>
/// Enqueues jobs. The stream is opened first and the bus message published last, so a worker never
/// gets a job without its row and stream; a failure part-way undoes or fails what was already written.
/// </summary>
internal sealed partial class JobQueue(JobStore store, IMessageBus bus, ILogger<JobQueue> logger) : IJobQueue
{
    public async Task<string> EnqueueAsync<TInput>(string kind, string owner, TInput input, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(kind) || !KindPattern().IsMatch(kind))
            throw new ArgumentException($"Job kind '{kind}' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.", nameof(kind));
        if (string.IsNullOrWhiteSpace(owner) || owner.Length > 256)
            throw new ArgumentException("A job owner must be 1 to 256 characters.", nameof(owner));

        var id = JobId.New();
        var message = new JobMessage(id, kind, owner, JsonSerializer.SerializeToElement(input, JobJson.Options));
        var queuedEventId = await store.Streams.CreateAsync(id, cancellationToken);
        try
        {
            await store.Table.InsertAsync(id, kind, owner, JobId.GetTimestamp(id), queuedEventId, cancellationToken);
        }
        catch
        {
            await store.Streams.Redis.DelAsync([JobStreams.StreamKey(id), JobStreams.StateKey(id)], CancellationToken.None);
            throw;
        }

        try
        {
            await bus.PublishAsync(JobMessage.Topic(kind), message, id, cancellationToken);
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, ex, id, kind);
            await FailUnqueuedAsync(id);
            throw;
        }
        return id;
    }

    private async Task FailUnqueuedAsync(string id)
    {
        try
        {
            var error = JobJson.Serialize(new JobError("The job could not be handed to a worker; submit it again.", "enqueue_failed"));
            var ended = await store.Streams.FinishAsync(id, -1, JobStatus.Failed, JobEventTypes.Error, error, error, null, CancellationToken.None);
            if (ended is not null)
                await store.Table.MarkEndedAsync(id, ended, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Redis or PostgreSQL is down as well; the row stays queued, which its owner can cancel.
            LogFailFailed(logger, ex, id);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex KindPattern();

    [LoggerMessage(LogLevel.Error, "Job {JobId} of kind {Kind} could not be published to the bus")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string jobId, string kind);

    [LoggerMessage(LogLevel.Warning, "Job {JobId} could not be marked failed after its publish failed")]
    private static partial void LogFailFailed(ILogger logger, Exception exception, string jobId);
}
