namespace Suite.Messaging;

/// <summary>
/// Handles messages of one type from a topic. Returning acknowledges the message; throwing retries it
/// with backoff, up to <see cref="BusConsumerOptions.MaxDeliveries"/> deliveries, then dead-letters it.
/// Delivery is at least once: a handler with side effects guards them with <see cref="IdempotencyGuard"/>.
/// Resolved from a new DI scope for every message.
/// </summary>
public interface IMessageHandler<T>
{
    /// <summary>
    /// Handles one message. <paramref name="cancellationToken"/> is cancelled when the consumer's drain
    /// timeout passes during shutdown; the message then stays pending for another consumer.
    /// </summary>
    Task HandleAsync(MessageContext<T> context, CancellationToken cancellationToken);
}
