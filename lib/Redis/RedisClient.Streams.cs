using Suite.Redis.Protocol;

namespace Suite.Redis;

// Streams. Reads with a block time go to a dedicated connection (see the class summary).
public sealed partial class RedisClient
{
    /// <summary>
    /// XADD: appends an entry and returns its id. <paramref name="id"/> is <c>*</c> (server-made) or
    /// explicit; <paramref name="maxLength"/> trims the stream in the same call (MAXLEN ~ N when
    /// <paramref name="approximateTrim"/>, the cheap default, else MAXLEN = N).
    /// </summary>
    public ValueTask<string> XAddAsync(
        RedisKey key, IEnumerable<KeyValuePair<string, RedisValue>> fields, string id = "*",
        long? maxLength = null, bool approximateTrim = true, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("XADD");
        command.Add(key);
        if (maxLength is { } max)
        {
            command.AddAscii("MAXLEN");
            command.AddAscii(approximateTrim ? "~" : "=");
            command.Add(max);
        }
        command.Add(id);
        var before = command.Count;
        foreach (var (field, value) in fields)
        {
            command.Add(field);
            command.Add(value);
        }
        if (command.Count == before)
        {
            command.Return();
            throw new ArgumentException("XADD needs at least one field.", nameof(fields));
        }
        return SendAsync(command, NonNullString, cancellationToken);
    }

    /// <summary>XRANGE from <paramref name="start"/> to <paramref name="end"/> (inclusive; <c>(id</c> for exclusive), oldest first.</summary>
    public ValueTask<IReadOnlyList<StreamEntry>> XRangeAsync(
        RedisKey key, string start = "-", string end = "+", int? count = null, CancellationToken cancellationToken = default) =>
        Range("XRANGE", key, start, end, count, cancellationToken);

    /// <summary>XREVRANGE from <paramref name="end"/> down to <paramref name="start"/>, newest first.</summary>
    public ValueTask<IReadOnlyList<StreamEntry>> XRevRangeAsync(
        RedisKey key, string end = "+", string start = "-", int? count = null, CancellationToken cancellationToken = default) =>
        Range("XREVRANGE", key, end, start, count, cancellationToken);

    /// <summary>XREAD of one stream: entries after <paramref name="afterId"/> (<c>$</c>: only new ones, with a block time).
    /// Empty when the block time passes.</summary>
    public ValueTask<IReadOnlyList<StreamEntry>> XReadAsync(
        RedisKey key, string afterId, int? count = null, TimeSpan? block = null, CancellationToken cancellationToken = default)
    {
        var command = EncodeRead("XREAD", null, null, [new StreamPosition(key, afterId)], count, block, noAck: false);
        return SendRead(command, StreamReplies.ReadOne, block, cancellationToken);
    }

    /// <summary>XREAD of several streams; only streams with entries are in the result.</summary>
    public ValueTask<IReadOnlyList<StreamReadResult>> XReadAsync(
        IReadOnlyList<StreamPosition> streams, int? count = null, TimeSpan? block = null, CancellationToken cancellationToken = default)
    {
        var command = EncodeRead("XREAD", null, null, streams, count, block, noAck: false);
        return SendRead(command, StreamReplies.Read, block, cancellationToken);
    }

    /// <summary>
    /// XREADGROUP of one stream as <paramref name="consumer"/> of <paramref name="group"/>: <c>&gt;</c> for
    /// new entries, or an id to re-read this consumer's pending ones. Empty when the block time passes.
    /// </summary>
    public ValueTask<IReadOnlyList<StreamEntry>> XReadGroupAsync(
        string group, string consumer, RedisKey key, string id = ">", int? count = null, TimeSpan? block = null,
        bool noAck = false, CancellationToken cancellationToken = default)
    {
        var command = EncodeRead("XREADGROUP", group, consumer, [new StreamPosition(key, id)], count, block, noAck);
        return SendRead(command, StreamReplies.ReadOne, block, cancellationToken);
    }

    /// <summary>XREADGROUP of several streams.</summary>
    public ValueTask<IReadOnlyList<StreamReadResult>> XReadGroupAsync(
        string group, string consumer, IReadOnlyList<StreamPosition> streams, int? count = null, TimeSpan? block = null,
        bool noAck = false, CancellationToken cancellationToken = default)
    {
        var command = EncodeRead("XREADGROUP", group, consumer, streams, count, block, noAck);
        return SendRead(command, StreamReplies.Read, block, cancellationToken);
    }

    /// <summary>XACK: how many of the ids were pending and are now acknowledged.</summary>
    public ValueTask<long> XAckAsync(RedisKey key, string group, ReadOnlySpan<string> ids, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("XACK");
        command.Add(key);
        command.Add(group);
        foreach (var id in ids)
            command.Add(id);
        return SendAsync(command, ReplyParsers.Int64, cancellationToken);
    }

    /// <summary>
    /// XAUTOCLAIM: moves entries pending longer than <paramref name="minIdle"/> to <paramref name="consumer"/>,
    /// scanning from <paramref name="start"/>; call again with <see cref="StreamAutoClaimResult.NextStartId"/>
    /// until it is <c>0-0</c>.
    /// </summary>
    public ValueTask<StreamAutoClaimResult> XAutoClaimAsync(
        RedisKey key, string group, string consumer, TimeSpan minIdle, string start = "0-0", int? count = null,
        CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("XAUTOCLAIM");
        command.Add(key);
        command.Add(group);
        command.Add(consumer);
        command.Add((long)minIdle.TotalMilliseconds);
        command.Add(start);
        if (count is { } n)
        {
            command.AddAscii("COUNT");
            command.Add(n);
        }
        return SendAsync(command, StreamReplies.AutoClaim, cancellationToken);
    }

    /// <summary>XPENDING summary: count, lowest and highest id, and how many each consumer holds.</summary>
    public ValueTask<StreamPendingSummary> XPendingAsync(RedisKey key, string group, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("XPENDING");
        command.Add(key);
        command.Add(group);
        return SendAsync(command, StreamReplies.PendingSummary, cancellationToken);
    }

    /// <summary>XPENDING extended form: up to <paramref name="count"/> pending entries, optionally of one consumer and idle at least <paramref name="minIdle"/>.</summary>
    public ValueTask<IReadOnlyList<StreamPendingMessage>> XPendingMessagesAsync(
        RedisKey key, string group, int count, string start = "-", string end = "+", string? consumer = null,
        TimeSpan? minIdle = null, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("XPENDING");
        command.Add(key);
        command.Add(group);
        if (minIdle is { } idle)
        {
            command.AddAscii("IDLE");
            command.Add((long)idle.TotalMilliseconds);
        }
        command.Add(start);
        command.Add(end);
        command.Add(count);
        if (consumer is not null)
            command.Add(consumer);
        return SendAsync(command, StreamReplies.PendingMessages, cancellationToken);
    }

    /// <summary>
    /// XGROUP CREATE (with MKSTREAM unless <paramref name="createStream"/> is false): true when the group
    /// was created, false when it already existed (BUSYGROUP).
    /// </summary>
    public async ValueTask<bool> XGroupCreateAsync(
        RedisKey key, string group, string startId = "$", bool createStream = true, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("XGROUP CREATE");
        command.Add(key);
        command.Add(group);
        command.Add(startId);
        if (createStream)
            command.AddAscii("MKSTREAM");
        try
        {
            return await SendAsync(command, ReplyParsers.Ok, cancellationToken);
        }
        catch (RedisServerException ex) when (ex.ErrorCode == "BUSYGROUP")
        {
            return false;
        }
    }

    /// <summary>XGROUP DELCONSUMER: how many entries the consumer still had pending (they are dropped).</summary>
    public ValueTask<long> XGroupDelConsumerAsync(RedisKey key, string group, string consumer, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("XGROUP DELCONSUMER");
        command.Add(key);
        command.Add(group);
        command.Add(consumer);
        return SendAsync(command, ReplyParsers.Int64, cancellationToken);
    }

    /// <summary>XGROUP DESTROY: true when the group existed.</summary>
    public ValueTask<bool> XGroupDestroyAsync(RedisKey key, string group, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("XGROUP DESTROY");
        command.Add(key);
        command.Add(group);
        return SendAsync(command, ReplyParsers.Boolean, cancellationToken);
    }

    /// <summary>XINFO STREAM.</summary>
    public ValueTask<StreamInfo> XInfoStreamAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        KeyCommand("XINFO STREAM", key, StreamReplies.Info, cancellationToken);

    /// <summary>XINFO GROUPS.</summary>
    public ValueTask<IReadOnlyList<StreamGroupInfo>> XInfoGroupsAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        KeyCommand("XINFO GROUPS", key, StreamReplies.Groups, cancellationToken);

    /// <summary>XLEN: 0 when the stream does not exist.</summary>
    public ValueTask<long> XLenAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        KeyCommand("XLEN", key, ReplyParsers.Int64, cancellationToken);

    /// <summary>XDEL: how many of the ids existed and were deleted.</summary>
    public ValueTask<long> XDelAsync(RedisKey key, ReadOnlySpan<string> ids, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("XDEL");
        command.Add(key);
        foreach (var id in ids)
            command.Add(id);
        return SendAsync(command, ReplyParsers.Int64, cancellationToken);
    }

    /// <summary>XTRIM MAXLEN (~ when <paramref name="approximate"/>): how many entries were removed.</summary>
    public ValueTask<long> XTrimAsync(RedisKey key, long maxLength, bool approximate = true, CancellationToken cancellationToken = default)
    {
        var command = CommandBuffer.Start("XTRIM");
        command.Add(key);
        command.AddAscii("MAXLEN");
        command.AddAscii(approximate ? "~" : "=");
        command.Add(maxLength);
        return SendAsync(command, ReplyParsers.Int64, cancellationToken);
    }

    private static readonly ReplyParser<string> NonNullString = ReplyParsers.Mapped(reply => reply.AsString() ?? "");

    private ValueTask<IReadOnlyList<StreamEntry>> Range(
        string name, RedisKey key, string from, string to, int? count, CancellationToken cancellationToken)
    {
        var command = CommandBuffer.Start(name);
        command.Add(key);
        command.Add(from);
        command.Add(to);
        if (count is { } n)
        {
            command.AddAscii("COUNT");
            command.Add(n);
        }
        return SendAsync(command, StreamReplies.Entries, cancellationToken);
    }

    private static CommandBuffer EncodeRead(
        string name, string? group, string? consumer, IReadOnlyList<StreamPosition> streams, int? count, TimeSpan? block, bool noAck)
    {
        if (streams.Count == 0)
            throw new ArgumentException($"{name} needs at least one stream.", nameof(streams));
        var command = CommandBuffer.Start(name);
        if (group is not null)
        {
            command.AddAscii("GROUP");
            command.Add(group);
            command.Add(consumer!);
        }
        if (count is { } n)
        {
            command.AddAscii("COUNT");
            command.Add(n);
        }
        if (block is { } wait)
        {
            command.AddAscii("BLOCK");
            command.Add((long)wait.TotalMilliseconds);
        }
        if (noAck)
            command.AddAscii("NOACK");
        command.AddAscii("STREAMS");
        foreach (var stream in streams)
            command.Add(stream.Key);
        foreach (var stream in streams)
            command.Add(stream.Id);
        return command;
    }

    private ValueTask<T> SendRead<T>(CommandBuffer command, ReplyParser<T> parser, TimeSpan? block, CancellationToken cancellationToken) =>
        block is { } wait
            ? SendBlockingAsync(command, parser, wait, cancellationToken)
            : SendAsync(command, parser, cancellationToken);
}
