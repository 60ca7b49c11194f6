namespace Suite.Messaging;

/// <summary>
/// A message the bus gave up on and moved to <c>&lt;topic&gt;:dead</c>. <see cref="MessageId"/> is null
/// when the entry's data was gone (reason <c>lost</c>: trimmed while pending).
/// </summary>
public sealed record DeadLetteredMessage(
    string Topic,
    string Group,
    string StreamId,
    string? MessageId,
    string Reason,
    string ErrorType,
    string ErrorMessage,
    int Attempts);
