namespace Suite.Redis.Protocol;

/// <summary>Maps stream command replies (RESP2 arrays or RESP3 maps) to the typed results.</summary>
internal static class StreamReplies
{
    public static readonly ReplyParser<IReadOnlyList<StreamEntry>> Entries = ReplyParsers.Mapped(ToEntries);
    public static readonly ReplyParser<IReadOnlyList<StreamReadResult>> Read = ReplyParsers.Mapped(ToReadResults);
    public static readonly ReplyParser<IReadOnlyList<StreamEntry>> ReadOne = ReplyParsers.Mapped(ToSingleStreamEntries);
    public static readonly ReplyParser<StreamAutoClaimResult> AutoClaim = ReplyParsers.Mapped(ToAutoClaim);
    public static readonly ReplyParser<StreamPendingSummary> PendingSummary = ReplyParsers.Mapped(ToPendingSummary);
    public static readonly ReplyParser<IReadOnlyList<StreamPendingMessage>> PendingMessages = ReplyParsers.Mapped(ToPendingMessages);
    public static readonly ReplyParser<StreamInfo> Info = ReplyParsers.Mapped(ToInfo);
    public static readonly ReplyParser<IReadOnlyList<StreamGroupInfo>> Groups = ReplyParsers.Mapped(ToGroups);

    public static StreamEntry ToEntry(RedisReply reply)
    {
        var id = reply[0].AsString()!;
        var raw = reply.Count > 1 ? reply[1] : RedisReply.Null;
        // An entry deleted while pending comes back with nil fields.
        if (raw.IsNull || raw.Count == 0)
            return new StreamEntry(id, []);
        var fields = new KeyValuePair<string, RedisValue>[raw.Count / 2];
        for (var i = 0; i < fields.Length; i++)
            fields[i] = new(raw[2 * i].AsString() ?? "", raw[2 * i + 1].AsValue());
        return new StreamEntry(id, fields);
    }

    public static IReadOnlyList<StreamEntry> ToEntries(RedisReply reply)
    {
        if (reply.IsNull || reply.Count == 0)
            return [];
        var entries = new List<StreamEntry>(reply.Count);
        foreach (var element in reply.Elements)
        {
            if (!element.IsNull)
                entries.Add(ToEntry(element));
        }
        return entries;
    }

    /// <summary>RESP2: [[key, entries], …]; RESP3: {key: entries}. Nil when a block timed out.</summary>
    public static IReadOnlyList<StreamReadResult> ToReadResults(RedisReply reply)
    {
        if (reply.IsNull)
            return [];
        var results = new List<StreamReadResult>();
        if (reply.Kind == RedisReplyKind.Map)
        {
            for (var i = 0; i < reply.Count; i += 2)
                results.Add(new StreamReadResult(reply[i].AsString()!, ToEntries(reply[i + 1])));
        }
        else
        {
            foreach (var stream in reply.Elements)
                results.Add(new StreamReadResult(stream[0].AsString()!, ToEntries(stream[1])));
        }
        return results;
    }

    private static IReadOnlyList<StreamEntry> ToSingleStreamEntries(RedisReply reply) =>
        ToReadResults(reply) is [var only, ..] ? only.Entries : [];

    private static StreamAutoClaimResult ToAutoClaim(RedisReply reply)
    {
        var deleted = reply.Count > 2 ? reply[2].Elements.Select(id => id.AsString()!).ToArray() : [];
        return new StreamAutoClaimResult(reply[0].AsString()!, ToEntries(reply[1]), deleted);
    }

    private static StreamPendingSummary ToPendingSummary(RedisReply reply)
    {
        var consumers = new Dictionary<string, long>();
        if (reply.Count > 3 && !reply[3].IsNull)
        {
            foreach (var consumer in reply[3].Elements)
                consumers[consumer[0].AsString()!] = consumer[1].AsInt64();
        }
        return new StreamPendingSummary(reply[0].AsInt64(), reply[1].AsString(), reply[2].AsString(), consumers);
    }

    private static IReadOnlyList<StreamPendingMessage> ToPendingMessages(RedisReply reply) =>
        reply.Elements
            .Select(m => new StreamPendingMessage(m[0].AsString()!, m[1].AsString()!, TimeSpan.FromMilliseconds(m[2].AsInt64()), m[3].AsInt64()))
            .ToArray();

    private static StreamInfo ToInfo(RedisReply reply)
    {
        var map = reply.AsMap();
        return new StreamInfo(
            Length: map["length"].AsInt64(),
            Groups: map["groups"].AsInt64(),
            LastGeneratedId: map["last-generated-id"].AsString()!,
            FirstEntry: EntryOrNull(map, "first-entry"),
            LastEntry: EntryOrNull(map, "last-entry"),
            EntriesAdded: Int64OrNull(map, "entries-added"),
            MaxDeletedEntryId: map.GetValueOrDefault("max-deleted-entry-id")?.AsString(),
            RecordedFirstEntryId: map.GetValueOrDefault("recorded-first-entry-id")?.AsString());
    }

    private static IReadOnlyList<StreamGroupInfo> ToGroups(RedisReply reply) =>
        reply.Elements.Select(group =>
        {
            var map = group.AsMap();
            return new StreamGroupInfo(
                Name: map["name"].AsString()!,
                Consumers: map["consumers"].AsInt64(),
                Pending: map["pending"].AsInt64(),
                LastDeliveredId: map["last-delivered-id"].AsString()!,
                EntriesRead: Int64OrNull(map, "entries-read"),
                Lag: Int64OrNull(map, "lag"));
        }).ToArray();

    private static StreamEntry? EntryOrNull(IReadOnlyDictionary<string, RedisReply> map, string name) =>
        map.TryGetValue(name, out var entry) && !entry.IsNull ? ToEntry(entry) : null;

    private static long? Int64OrNull(IReadOnlyDictionary<string, RedisReply> map, string name) =>
        map.TryGetValue(name, out var value) && !value.IsNull ? value.AsInt64() : null;
}
