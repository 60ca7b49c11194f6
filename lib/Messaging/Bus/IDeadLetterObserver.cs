namespace Suite.Messaging;

/// <summary>
/// Told about every message a consumer in this process dead-letters, after it is in the dead-letter
/// stream, so that what the message stood for can be ended too (a job marked failed, say) instead of
/// waiting for ever. Register with <c>services.AddSingleton&lt;IDeadLetterObserver, T&gt;()</c>; an
/// observer that throws is logged and does not stop the consumer.
/// </summary>
public interface IDeadLetterObserver
{
    Task OnDeadLetteredAsync(DeadLetteredMessage message, CancellationToken cancellationToken);
}
