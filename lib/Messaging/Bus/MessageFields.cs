using System.Diagnostics;
using System.Globalization;
using Suite.Redis;

namespace Suite.Messaging;

/// <summary>
/// The layout of a message in its stream entry: <c>id</c>, <c>type</c>, <c>time</c> (Unix ms),
/// <c>traceparent</c> and <c>tracestate</c> (W3C, when the producer had a trace), <c>data</c> (JSON).
/// The attempt is not stored: it is the group's delivery count, kept by Redis.
/// </summary>
internal static class MessageFields
{
    public const string Id = "id";
    public const string Type = "type";
    public const string Time = "time";
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    public const string Data = "data";

    /// <summary>The arguments of XADD for one message, trim included.</summary>
    public static RedisValue[] Encode(
        string topic, TrimPolicy trim, string messageId, string type, ActivityContext trace, byte[] data)
    {
        var hasTrace = trace != default;
        var hasState = hasTrace && !string.IsNullOrEmpty(trace.TraceState);
        var args = new RedisValue[13 + (hasTrace ? 2 : 0) + (hasState ? 2 : 0)];
        var i = 0;
        args[i++] = topic;
        if (trim.MaxAge is { } age)
        {
            // MINID ~ <cutoff>: entries with ids (creation times) before the cutoff go.
            args[i++] = "MINID";
            args[i++] = "~";
            args[i++] = DateTimeOffset.UtcNow.Add(-age).ToUnixTimeMilliseconds();
        }
        else
        {
            args[i++] = "MAXLEN";
            args[i++] = "~";
            args[i++] = trim.MaxLength;
        }
        args[i++] = "*";
        args[i++] = Id;
        args[i++] = messageId;
        args[i++] = Type;
        args[i++] = type;
        args[i++] = Time;
        args[i++] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (hasTrace)
        {
            args[i++] = TraceParent;
            args[i++] = FormatTraceParent(trace);
        }
        if (hasState)
        {
            args[i++] = TraceState;
            args[i++] = trace.TraceState;
        }
        // Data goes last so the small fields come first when a person reads the stream.
        args[i++] = Data;
        args[i] = data;
        return args;
    }

    public static string FormatTraceParent(ActivityContext trace) =>
        string.Create(CultureInfo.InvariantCulture,
            $"00-{trace.TraceId.ToHexString()}-{trace.SpanId.ToHexString()}-{((trace.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00")}");

    /// <summary>Reads the envelope of an entry; throws <see cref="FormatException"/> when it is not a bus message.</summary>
    public static Envelope Decode(StreamEntry entry)
    {
        string? id = null, type = null, traceParent = null, traceState = null;
        long time = 0;
        RedisValue data = RedisValue.Null;
        foreach (var (name, value) in entry.Fields)
        {
            switch (name)
            {
                case Id: id = value.AsString(); break;
                case Type: type = value.AsString(); break;
                case Time: value.TryParseInt64(out time); break;
                case TraceParent: traceParent = value.AsString(); break;
                case TraceState: traceState = value.AsString(); break;
                case Data: data = value; break;
            }
        }
        if (data.IsNull)
            throw new FormatException($"Stream entry {entry.Id} has no '{Data}' field; it was not written by the message bus.");
        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var trace);
        return new Envelope(
            string.IsNullOrEmpty(id) ? entry.Id : id,
            type,
            time > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(time) : StreamIdTime(entry.Id),
            trace,
            data.AsMemory());
    }

    /// <summary>The creation time encoded in a stream id (<c>ms-seq</c>).</summary>
    public static DateTimeOffset StreamIdTime(string streamId)
    {
        var dash = streamId.IndexOf('-');
        return long.TryParse(dash < 0 ? streamId : streamId.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : default;
    }
}

/// <summary>A decoded bus message, before its data is deserialized.</summary>
internal readonly record struct Envelope(string MessageId, string? Type, DateTimeOffset EnqueuedAt, ActivityContext Trace, ReadOnlyMemory<byte> Data);
