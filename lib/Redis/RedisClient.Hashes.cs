using Suite.Redis.Protocol;

namespace Suite.Redis;

// Hashes.
public sealed partial class RedisClient
{
    private static readonly ReplyParser<IReadOnlyDictionary<string, RedisValue>> HashParser = ReplyParsers.Mapped(ToHash);

    /// <summary>HSET of one field: true when the field is new.</summary>
    public ValueTask<bool> HSetAsync(RedisKey key, string field, RedisValue value, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("HSET");
        command.Add(key);
        command.Add(field);
        command.Add(value);
        return SendAsync(command, ReplyParsers.Boolean, cancellationToken);
    }

    /// <summary>HSET of many fields: how many were new.</summary>
    public ValueTask<long> HSetAsync(RedisKey key, IEnumerable<KeyValuePair<string, RedisValue>> fields, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("HSET");
        command.Add(key);
        foreach (var (field, value) in fields)
        {
            command.Add(field);
            command.Add(value);
        }
        if (command.Count == 2)
        {
            command.Return();
            throw new ArgumentException("HSET needs at least one field.", nameof(fields));
        }
        return SendAsync(command, ReplyParsers.Int64, cancellationToken);
    }

    /// <summary>HGET: the field's value, or <see cref="RedisValue.Null"/>.</summary>
    public ValueTask<RedisValue> HGetAsync(RedisKey key, string field, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("HGET");
        command.Add(key);
        command.Add(field);
        return SendAsync(command, ReplyParsers.Value, cancellationToken);
    }

    /// <summary>HMGET: one value per field, <see cref="RedisValue.Null"/> for missing ones.</summary>
    public ValueTask<RedisValue[]> HMGetAsync(RedisKey key, ReadOnlySpan<string> fields, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("HMGET");
        command.Add(key);
        foreach (var field in fields)
            command.Add(field);
        return SendAsync(command, ReplyParsers.ValueArray, cancellationToken);
    }

    /// <summary>HGETALL (a map under RESP3, a flat list under RESP2): empty when the key does not exist.</summary>
    public ValueTask<IReadOnlyDictionary<string, RedisValue>> HGetAllAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        KeyCommand("HGETALL", key, HashParser, cancellationToken);

    /// <summary>HDEL: how many of the fields were removed.</summary>
    public ValueTask<long> HDelAsync(RedisKey key, ReadOnlySpan<string> fields, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("HDEL");
        command.Add(key);
        foreach (var field in fields)
            command.Add(field);
        return SendAsync(command, ReplyParsers.Int64, cancellationToken);
    }

    /// <summary>HINCRBY: the field's value after the increment.</summary>
    public ValueTask<long> HIncrByAsync(RedisKey key, string field, long increment = 1, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("HINCRBY");
        command.Add(key);
        command.Add(field);
        command.Add(increment);
        return SendAsync(command, ReplyParsers.Int64, cancellationToken);
    }

    private static IReadOnlyDictionary<string, RedisValue> ToHash(RedisReply reply)
    {
        var hash = new Dictionary<string, RedisValue>(reply.Count / 2);
        for (var i = 0; i + 1 < reply.Count; i += 2)
            hash[reply[i].AsString()!] = reply[i + 1].AsValue();
        return hash;
    }
}
