using Suite.Redis.Protocol;

namespace Suite.Redis;

// Lists, as far as queues need them.
public sealed partial class RedisClient
{
    private static readonly ReplyParser<KeyValuePair<string, RedisValue>?> PopParser = ReplyParsers.Mapped(ToPopped);

    /// <summary>LPUSH: the list's length afterwards.</summary>
    public ValueTask<long> LPushAsync(RedisKey key, ReadOnlySpan<RedisValue> values, CancellationToken cancellationToken = default) =>
        Push("LPUSH", key, values, cancellationToken);

    /// <summary>RPUSH: the list's length afterwards.</summary>
    public ValueTask<long> RPushAsync(RedisKey key, ReadOnlySpan<RedisValue> values, CancellationToken cancellationToken = default) =>
        Push("RPUSH", key, values, cancellationToken);

    /// <summary>
    /// BLPOP on a dedicated connection: the key and the element popped from the first non-empty list,
    /// or null when <paramref name="timeout"/> passed (<see cref="TimeSpan.Zero"/> waits for ever).
    /// </summary>
    public ValueTask<KeyValuePair<string, RedisValue>?> BLPopAsync(ReadOnlySpan<RedisKey> keys, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (keys.IsEmpty)
            throw new ArgumentException("BLPOP needs at least one key.", nameof(keys));
        var command = CommandBuffer.Start("BLPOP");
        foreach (var key in keys)
            command.Add(key);
        command.Add(RedisValue.FromDouble(timeout.TotalSeconds));
        return SendBlockingAsync(command, PopParser, timeout, cancellationToken);
    }

    private ValueTask<long> Push(string name, RedisKey key, ReadOnlySpan<RedisValue> values, CancellationToken cancellationToken)
    {
        if (values.IsEmpty)
            throw new ArgumentException($"{name} needs at least one value.", nameof(values));
        var command = CommandBuffer.Start(name);
        command.Add(key);
        foreach (var value in values)
            command.Add(value);
        return SendAsync(command, ReplyParsers.Int64, cancellationToken);
    }

    private static KeyValuePair<string, RedisValue>? ToPopped(RedisReply reply) =>
        reply.IsNull ? null : new KeyValuePair<string, RedisValue>(reply[0].AsString()!, reply[1].AsValue());
}
