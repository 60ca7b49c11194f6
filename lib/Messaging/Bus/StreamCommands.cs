using Suite.Redis;

namespace Suite.Messaging;

/// <summary>Stream commands the client has no typed method for (XCLAIM), and the atomic dead-letter move.</summary>
internal static class StreamCommands
{
    // Append to the dead-letter stream and acknowledge in one step, so a crash between the two cannot
    // leave a message both dead-lettered and pending (it would be dead-lettered twice).
    private static readonly RedisScript DeadLetterScript = new("""
        redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 4))
        return redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
        """);

    /// <summary>
    /// XCLAIM of one entry to <paramref name="consumer"/> if it has been idle at least <paramref name="minIdle"/>;
    /// increments its delivery count. Null when it was not claimed (another consumer holds it, it is no longer
    /// pending, or its data was trimmed).
    /// </summary>
    public static async Task<StreamEntry?> ClaimAsync(
        RedisClient redis, string topic, string group, string consumer, TimeSpan minIdle, string id, CancellationToken cancellationToken)
    {
        var reply = await redis.ExecuteAsync(
            "XCLAIM", [topic, group, consumer, (long)minIdle.TotalMilliseconds, id], cancellationToken);
        foreach (var element in reply.Elements)
        {
            // Redis before 7 answers nil for an entry whose data is gone.
            if (element.IsNull || element.Count < 2 || element[1].IsNull)
                continue;
            var flat = element[1];
            var fields = new KeyValuePair<string, RedisValue>[flat.Count / 2];
            for (var i = 0; i < fields.Length; i++)
                fields[i] = new(flat[2 * i].AsString() ?? "", flat[2 * i + 1].AsValue());
            return new StreamEntry(element[0].AsString() ?? id, fields);
        }
        return null;
    }

    /// <summary>
    /// Resets the idle time of entries this consumer is still working on, those idle at least <paramref name="minIdle"/>
    /// (XCLAIM JUSTID: the delivery count stays). Returns the ids renewed.
    /// </summary>
    public static async Task<IEnumerable<string>> RenewAsync(
        RedisClient redis, string topic, string group, string consumer, IReadOnlyList<string> ids, TimeSpan minIdle,
        CancellationToken cancellationToken)
    {
        var args = new RedisValue[5 + ids.Count];
        args[0] = topic;
        args[1] = group;
        args[2] = consumer;
        args[3] = (long)minIdle.TotalMilliseconds;
        for (var i = 0; i < ids.Count; i++)
            args[4 + i] = ids[i];
        args[^1] = "JUSTID";
        var reply = await redis.ExecuteAsync("XCLAIM", args, cancellationToken);
        return reply.Elements.Select(element => element.AsString() ?? "");
    }

    /// <summary>The delivery count of one pending entry, 0 when it is not pending.</summary>
    public static async Task<int> DeliveryCountAsync(RedisClient redis, string topic, string group, string id, CancellationToken cancellationToken)
    {
        var pending = await redis.XPendingMessagesAsync(topic, group, 1, id, id, cancellationToken: cancellationToken);
        return pending.Count == 0 ? 0 : (int)Math.Min(pending[0].DeliveryCount, int.MaxValue);
    }

    /// <summary>Appends <paramref name="fields"/> to <paramref name="deadTopic"/> and acknowledges <paramref name="id"/>, atomically.</summary>
    public static async Task DeadLetterAsync(
        RedisClient redis, string topic, string deadTopic, long maxLength, string group, string id,
        List<RedisValue> fields, CancellationToken cancellationToken)
    {
        var args = new RedisValue[3 + fields.Count];
        args[0] = group;
        args[1] = id;
        args[2] = maxLength;
        fields.CopyTo(args, 3);
        await redis.EvalAsync(DeadLetterScript, [topic, deadTopic], args, cancellationToken);
    }
}
