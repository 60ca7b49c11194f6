namespace Suite.Messaging;

/// <summary>
/// Publishes typed messages to topics. A topic is a Redis stream (key = topic name); each message is
/// one entry holding its id, .NET type, publish time, W3C trace context and the message as JSON.
/// Delivery to consumers is at least once (see <see cref="MessageBusServiceCollectionExtensions.AddBusConsumer{TMessage, THandler}"/>).
/// </summary>
public interface IMessageBus
{
    /// <summary>Appends <paramref name="message"/> to <paramref name="topic"/>; returns the message id (new, unique).</summary>
    Task<string> PublishAsync<T>(string topic, T message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends <paramref name="message"/> with the caller's <paramref name="messageId"/> (e.g. a job id), so that a
    /// producer retrying a publish it is unsure of produces the same id and consumers can de-duplicate on it.
    /// </summary>
    Task<string> PublishAsync<T>(string topic, T message, string messageId, CancellationToken cancellationToken = default);
}
