using Microsoft.Extensions.Logging;

namespace Suite.Messaging;

/// <summary>The bus's log messages (source-generated, so a disabled level costs nothing).</summary>
internal static partial class BusLog
{
    [LoggerMessage(LogLevel.Information, "Consumer {Consumer} of group {Group} started on topic {Topic} (concurrency {Concurrency})")]
    public static partial void Started(ILogger logger, string consumer, string group, string topic, int concurrency);

    [LoggerMessage(LogLevel.Information, "Consumer {Consumer} of group {Group} on topic {Topic} stopped; {Unfinished} messages left pending")]
    public static partial void Stopped(ILogger logger, string consumer, string group, string topic, int unfinished);

    [LoggerMessage(LogLevel.Warning, "Consumer {Consumer} could not reach Redis for topic {Topic}; retrying")]
    public static partial void RedisUnavailable(ILogger logger, Exception exception, string consumer, string topic);

    [LoggerMessage(LogLevel.Warning, "Drain timeout {Timeout} passed with {Running} handlers of topic {Topic} still running; cancelling them")]
    public static partial void DrainTimedOut(ILogger logger, TimeSpan timeout, int running, string topic);

    [LoggerMessage(LogLevel.Debug, "Handler failed for message {MessageId} of topic {Topic} (attempt {Attempt}); it will be retried")]
    public static partial void Retrying(ILogger logger, Exception exception, string messageId, string topic, int attempt);

    [LoggerMessage(LogLevel.Warning, "Message {StreamId} of topic {Topic} dead-lettered for group {Group} ({Reason}) after {Attempts} deliveries: {ErrorType}: {Error}")]
    public static partial void DeadLettered(ILogger logger, string streamId, string topic, string group, string reason, int attempts, string errorType, string error);

    [LoggerMessage(LogLevel.Error, "Dead-letter observer {Observer} failed for message {StreamId} of topic {Topic}")]
    public static partial void DeadLetterObserverFailed(ILogger logger, Exception exception, string streamId, string topic, string observer);

    [LoggerMessage(LogLevel.Information, "Reclaimed {Count} messages of topic {Topic} idle longer than {VisibilityTimeout} for group {Group}")]
    public static partial void Reclaimed(ILogger logger, int count, string topic, TimeSpan visibilityTimeout, string group);

    [LoggerMessage(LogLevel.Error, "Unexpected failure processing message {StreamId} of topic {Topic}; it stays pending")]
    public static partial void ProcessingFailed(ILogger logger, Exception exception, string streamId, string topic);

    [LoggerMessage(LogLevel.Warning, "XACK of {Count} messages of topic {Topic} for group {Group} failed; retrying")]
    public static partial void AckFailed(ILogger logger, Exception exception, int count, string topic, string group);

    [LoggerMessage(LogLevel.Warning, "Gave up acknowledging {Count} messages of topic {Topic} for group {Group}; they stay pending and will be redelivered")]
    public static partial void AcksAbandoned(ILogger logger, int count, string topic, string group);

    [LoggerMessage(LogLevel.Debug, "Maintenance of topic {Topic} for group {Group} failed; trying again next interval")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception, string topic, string group);
}
