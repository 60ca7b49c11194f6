using Suite.Redis.Protocol;

namespace Suite.Redis;

// Publish and subscribe.
public sealed partial class RedisClient
{
    /// <summary>PUBLISH: how many subscribers received the message.</summary>
    public ValueTask<long> PublishAsync(string channel, RedisValue message, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("PUBLISH");
        command.Add(channel);
        command.Add(message);
        return SendAsync(command, ReplyParsers.Int64, cancellationToken);
    }

    /// <summary>
    /// Subscribes <paramref name="handler"/> to a channel on the client's subscriber connection; returns
    /// once the server has confirmed. Survives reconnects (channels are subscribed again); messages
    /// published while disconnected are lost, as pub/sub does not keep them. Dispose to unsubscribe.
    /// </summary>
    public Task<RedisSubscription> SubscribeAsync(string channel, Func<RedisMessage, Task> handler, CancellationToken cancellationToken = default) =>
        Subscribe(channel, isPattern: false, handler, cancellationToken);

    /// <inheritdoc cref="SubscribeAsync(string, Func{RedisMessage, Task}, CancellationToken)"/>
    public Task<RedisSubscription> SubscribeAsync(string channel, Action<RedisMessage> handler, CancellationToken cancellationToken = default) =>
        Subscribe(channel, isPattern: false, Wrap(handler), cancellationToken);

    /// <summary>Like <see cref="SubscribeAsync(string, Func{RedisMessage, Task}, CancellationToken)"/> for a glob pattern (PSUBSCRIBE).</summary>
    public Task<RedisSubscription> PatternSubscribeAsync(string pattern, Func<RedisMessage, Task> handler, CancellationToken cancellationToken = default) =>
        Subscribe(pattern, isPattern: true, handler, cancellationToken);

    /// <inheritdoc cref="PatternSubscribeAsync(string, Func{RedisMessage, Task}, CancellationToken)"/>
    public Task<RedisSubscription> PatternSubscribeAsync(string pattern, Action<RedisMessage> handler, CancellationToken cancellationToken = default) =>
        Subscribe(pattern, isPattern: true, Wrap(handler), cancellationToken);

    private Task<RedisSubscription> Subscribe(string channel, bool isPattern, Func<RedisMessage, Task> handler, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _subscriptions.Value.SubscribeAsync(channel, isPattern, handler, cancellationToken);
    }

    private static Func<RedisMessage, Task> Wrap(Action<RedisMessage> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return message =>
        {
            handler(message);
            return Task.CompletedTask;
        };
    }
}
