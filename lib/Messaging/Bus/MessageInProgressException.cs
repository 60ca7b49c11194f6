namespace Suite.Messaging;

/// <summary>
/// Another consumer is processing the same message right now (<see cref="IdempotencyGuard.TryBeginAsync"/>).
/// Thrown out of a handler it makes the bus retry the message later, like any failure.
/// </summary>
public sealed class MessageInProgressException(string group, string messageId)
    : InvalidOperationException($"Message {messageId} is being processed by another consumer of group {group}.")
{
    public string Group { get; } = group;

    public string MessageId { get; } = messageId;
}
