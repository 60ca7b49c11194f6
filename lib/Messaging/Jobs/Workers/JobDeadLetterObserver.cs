namespace Suite.Messaging;

/// <summary>
/// Ends a job as <c>failed</c> when the bus dead-letters its message (its workers kept crashing, or
/// its message was malformed), so that it does not stay <c>running</c> for ever. The job's message id
/// is its job id. A <c>lost</c> message (trimmed while pending) carries no id and cannot be matched.
/// </summary>
internal sealed class JobDeadLetterObserver(JobStore store) : IDeadLetterObserver
{
    public async Task OnDeadLetteredAsync(DeadLetteredMessage message, CancellationToken cancellationToken)
    {
        if (message.Group != JobMessage.ConsumerGroup || !message.Topic.StartsWith(JobMessage.Topic(""), StringComparison.Ordinal)
            || message.MessageId is null || !JobId.IsValid(message.MessageId))
            return;
        // The error's own text stays in the dead-letter stream: it may hold internals the job's owner should not see.
        var error = new JobError(
            $"The job could not be run: its message was dead-lettered after {message.Attempts} deliveries ({message.Reason}).",
            "dead_lettered");
        await store.FailAsync(message.MessageId, error, cancellationToken);
    }
}
