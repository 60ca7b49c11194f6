using Suite.Redis.Protocol;

namespace Suite.Redis;

// Strings, keys and counters.
public sealed partial class RedisClient
{
    // INCRBY, then PEXPIRE when the key has no expiry yet: the first increment of a window sets it,
    // and a key that somehow lost its expiry gets it back instead of living for ever.
    private static readonly RedisScript IncrementWithExpiryScript = new("""
        local value = redis.call('INCRBY', KEYS[1], ARGV[1])
        if redis.call('PTTL', KEYS[1]) == -1 then
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return value
        """);

    /// <summary>GET: the value, or <see cref="RedisValue.Null"/> when the key does not exist.</summary>
    public ValueTask<RedisValue> GetAsync(RedisKey key, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("GET");
        command.Add(key);
        return SendAsync(command, ReplyParsers.Value, cancellationToken);
    }

    /// <summary>
    /// SET with an optional expiry (sent as EX in whole seconds, else PX) and condition. True when the
    /// value was written; false when <paramref name="condition"/> stopped it.
    /// </summary>
    public ValueTask<bool> SetAsync(
        RedisKey key, RedisValue value, TimeSpan? expiry = null, SetCondition condition = SetCondition.Always,
        CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("SET");
        command.Add(key);
        command.Add(value);
        if (expiry is { } ttl)
            AddExpiry(command, ttl);
        if (condition != SetCondition.Always)
            command.AddAscii(condition == SetCondition.NotExists ? "NX" : "XX");
        return SendAsync(command, ReplyParsers.Ok, cancellationToken);
    }

    /// <summary>MGET: one value per key, <see cref="RedisValue.Null"/> for missing keys.</summary>
    public ValueTask<RedisValue[]> MGetAsync(ReadOnlySpan<RedisKey> keys, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("MGET");
        foreach (var key in keys)
            command.Add(key);
        return SendAsync(command, ReplyParsers.ValueArray, cancellationToken);
    }

    /// <summary>DEL: the number of keys removed.</summary>
    public ValueTask<long> DelAsync(ReadOnlySpan<RedisKey> keys, CancellationToken cancellationToken = default) =>
        KeysCommand("DEL", keys, cancellationToken);

    /// <summary>DEL of one key: true when it existed.</summary>
    public async ValueTask<bool> DelAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        await KeysCommand("DEL", [key], cancellationToken) == 1;

    /// <summary>EXISTS: how many of the keys exist.</summary>
    public ValueTask<long> ExistsAsync(ReadOnlySpan<RedisKey> keys, CancellationToken cancellationToken = default) =>
        KeysCommand("EXISTS", keys, cancellationToken);

    public async ValueTask<bool> ExistsAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        await KeysCommand("EXISTS", [key], cancellationToken) == 1;

    /// <summary>EXPIRE in whole seconds (rounded up): true when the key exists.</summary>
    public ValueTask<bool> ExpireAsync(RedisKey key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("EXPIRE");
        command.Add(key);
        command.Add((long)Math.Ceiling(expiry.TotalSeconds));
        return SendAsync(command, ReplyParsers.Boolean, cancellationToken);
    }

    /// <summary>PEXPIRE in milliseconds: true when the key exists.</summary>
    public ValueTask<bool> PExpireAsync(RedisKey key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("PEXPIRE");
        command.Add(key);
        command.Add((long)Math.Ceiling(expiry.TotalMilliseconds));
        return SendAsync(command, ReplyParsers.Boolean, cancellationToken);
    }

    /// <summary>TTL in seconds; -1 when the key has no expiry, -2 when it does not exist.</summary>
    public ValueTask<long> TtlAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        KeyCommand("TTL", key, ReplyParsers.Int64, cancellationToken);

    /// <summary>PTTL in milliseconds; -1 when the key has no expiry, -2 when it does not exist.</summary>
    public ValueTask<long> PTtlAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        KeyCommand("PTTL", key, ReplyParsers.Int64, cancellationToken);

    /// <summary>INCRBY: the value after the increment.</summary>
    public ValueTask<long> IncrByAsync(RedisKey key, long increment = 1, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("INCRBY");
        command.Add(key);
        command.Add(increment);
        return SendAsync(command, ReplyParsers.Int64, cancellationToken);
    }

    /// <summary>DECRBY: the value after the decrement.</summary>
    public ValueTask<long> DecrByAsync(RedisKey key, long decrement = 1, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("DECRBY");
        command.Add(key);
        command.Add(decrement);
        return SendAsync(command, ReplyParsers.Int64, cancellationToken);
    }

    /// <summary>INCRBYFLOAT: the value after the increment.</summary>
    public ValueTask<double> IncrByFloatAsync(RedisKey key, double increment, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("INCRBYFLOAT");
        command.Add(key);
        command.Add(increment);
        return SendAsync(command, ReplyParsers.Double, cancellationToken);
    }

    /// <summary>
    /// Increments a counter and, when the key has no expiry (it was just created), sets
    /// <paramref name="expiry"/>, atomically in one script: a fixed-window counter in one call.
    /// </summary>
    public async ValueTask<long> IncrByWithExpiryAsync(RedisKey key, long increment, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        if (expiry <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(expiry), expiry, "The expiry must be positive.");
        var reply = await EvalAsync(IncrementWithExpiryScript, [key], [increment, (long)Math.Ceiling(expiry.TotalMilliseconds)], cancellationToken);
        return reply.AsInt64();
    }

    private static void AddExpiry(CommandBuffer command, TimeSpan expiry)
    {
        if (expiry <= TimeSpan.Zero)
        {
            command.Return();
            throw new ArgumentOutOfRangeException(nameof(expiry), expiry, "The expiry must be positive.");
        }
        if (expiry.Ticks % TimeSpan.TicksPerSecond == 0)
        {
            command.AddAscii("EX");
            command.Add((long)expiry.TotalSeconds);
        }
        else
        {
            command.AddAscii("PX");
            command.Add((long)Math.Ceiling(expiry.TotalMilliseconds));
        }
    }

    private ValueTask<long> KeysCommand(string name, ReadOnlySpan<RedisKey> keys, CancellationToken cancellationToken)
    {
        if (keys.IsEmpty)
            throw new ArgumentException($"{name} needs at least one key.", nameof(keys));
        var command = CommandBuffer.Start(name);
        foreach (var key in keys)
            command.Add(key);
        return SendAsync(command, ReplyParsers.Int64, cancellationToken);
    }

    private ValueTask<T> KeyCommand<T>(string name, RedisKey key, ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        var command = CommandBuffer.Start(name);
        command.Add(key);
        return SendAsync(command, parser, cancellationToken);
    }
}
