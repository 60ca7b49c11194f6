using System.Buffers;
using System.Text;

namespace Suite.Redis.Protocol;

/// <summary>
/// Reads the values of one complete reply (see <see cref="RespFrameScanner"/>), so it never has to
/// handle a reply cut short. Strings are handed out as slices of the received bytes.
/// </summary>
internal ref struct RespReader
{
    /// <summary>Type byte returned by <see cref="ReadScalar"/> for every form of null.</summary>
    public const byte NullType = (byte)'_';

    private SequenceReader<byte> _reader;

    public RespReader(in ReadOnlySequence<byte> frame) => _reader = new SequenceReader<byte>(frame);

    public byte PeekType() => _reader.TryPeek(out var type) ? type : throw Truncated();

    /// <summary>Reads a type byte and its header line (without the CRLF).</summary>
    public byte ReadHeader(out ReadOnlySequence<byte> line)
    {
        if (!_reader.TryRead(out var type) || !_reader.TryReadTo(out line, (byte)'\n'))
            throw Truncated();
        line = line.Slice(0, line.Length - 1);
        return type;
    }

    public ReadOnlySequence<byte> ReadBlob(long length)
    {
        var body = _reader.Sequence.Slice(_reader.Position, length);
        _reader.Advance(length + 2);
        return body;
    }

    /// <summary>Skips RESP3 attributes in front of the next value.</summary>
    public void SkipAttributes()
    {
        while (PeekType() == (byte)'|')
        {
            ReadHeader(out var line);
            var pairs = RespNumbers.ParseInt64(line);
            for (long i = 0; i < 2 * pairs; i++)
                SkipValue();
        }
    }

    public void SkipValue()
    {
        SkipAttributes();
        var type = ReadHeader(out var line);
        switch (type)
        {
            case (byte)'$' or (byte)'!' or (byte)'=':
                var length = RespNumbers.ParseInt64(line);
                if (length >= 0)
                    _reader.Advance(length + 2);
                break;
            case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%':
                var count = RespNumbers.ParseInt64(line) * (type == (byte)'%' ? 2 : 1);
                for (long i = 0; i < count; i++)
                    SkipValue();
                break;
        }
    }

    /// <summary>
    /// Reads a non-aggregate value: returns its type byte (<see cref="NullType"/> for any null) and its
    /// text (a string's bytes, a verbatim string without its format, a number's digits). For an
    /// aggregate, returns its type and leaves <paramref name="payload"/> empty and the reader behind it.
    /// </summary>
    public byte ReadScalar(out ReadOnlySequence<byte> payload)
    {
        SkipAttributes();
        var type = ReadHeader(out payload);
        switch (type)
        {
            case (byte)'$' or (byte)'!' or (byte)'=':
                var length = RespNumbers.ParseInt64(payload);
                if (length < 0)
                {
                    payload = default;
                    return NullType;
                }
                payload = ReadBlob(length);
                if (type == (byte)'=' && payload.Length >= 4)
                    payload = payload.Slice(4); // "txt:" in front of the text
                return type;
            case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%':
                var count = RespNumbers.ParseInt64(payload) * (type == (byte)'%' ? 2 : 1);
                payload = default;
                if (count < 0)
                    return NullType;
                for (long i = 0; i < count; i++)
                    SkipValue();
                return type;
            default:
                return type;
        }
    }

    /// <summary>When the next value is an error reply, returns its text.</summary>
    public readonly string? TryReadError()
    {
        var probe = this;
        probe.SkipAttributes();
        var type = probe.PeekType();
        if (type is not ((byte)'-' or (byte)'!'))
            return null;
        probe.ReadScalar(out var text);
        return Encoding.UTF8.GetString(text);
    }

    /// <summary>Reads the next value, however nested, as a <see cref="RedisReply"/> tree.</summary>
    public RedisReply ReadReply()
    {
        RedisReply? attributes = null;
        while (PeekType() == (byte)'|')
        {
            ReadHeader(out var attributeLine);
            attributes = ReadAggregate(RedisReplyKind.Map, 2 * RespNumbers.ParseInt64(attributeLine));
        }
        var reply = ReadReplyValue();
        return attributes is null ? reply : reply.WithAttributes(attributes);
    }

    private RedisReply ReadReplyValue()
    {
        var type = ReadHeader(out var line);
        switch (type)
        {
            case (byte)'+':
                return RedisReply.Text(RedisReplyKind.SimpleString, line.ToArray());
            case (byte)'-':
                return RedisReply.Text(RedisReplyKind.Error, line.ToArray());
            case (byte)'(':
                return RedisReply.Text(RedisReplyKind.BigNumber, line.ToArray());
            case (byte)':':
                return RedisReply.Integer(RespNumbers.ParseInt64(line));
            case (byte)',':
                return RedisReply.Double(RespNumbers.ParseDouble(line));
            case (byte)'#':
                return line.FirstSpan.Length > 0 && line.FirstSpan[0] == (byte)'t' ? RedisReply.True : RedisReply.False;
            case (byte)'_':
                return RedisReply.Null;
            case (byte)'$' or (byte)'!' or (byte)'=':
                var length = RespNumbers.ParseInt64(line);
                if (length < 0)
                    return RedisReply.Null;
                var body = ReadBlob(length);
                if (type == (byte)'$')
                    return RedisReply.Text(RedisReplyKind.BulkString, body.ToArray());
                if (type == (byte)'!')
                    return RedisReply.Text(RedisReplyKind.Error, body.ToArray());
                var format = body.Length >= 4 ? Encoding.ASCII.GetString(body.Slice(0, 3)) : "txt";
                return RedisReply.Verbatim(format, body.Slice(Math.Min(4, body.Length)).ToArray());
            case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%':
                var count = RespNumbers.ParseInt64(line);
                if (count < 0)
                    return RedisReply.Null;
                var kind = type switch
                {
                    (byte)'*' => RedisReplyKind.Array,
                    (byte)'~' => RedisReplyKind.Set,
                    (byte)'>' => RedisReplyKind.Push,
                    _ => RedisReplyKind.Map,
                };
                return ReadAggregate(kind, kind == RedisReplyKind.Map ? 2 * count : count);
            default:
                throw new RedisException($"Redis protocol error: unexpected reply type byte 0x{type:x2}.");
        }
    }

    private RedisReply ReadAggregate(RedisReplyKind kind, long count)
    {
        var elements = count == 0 ? [] : new RedisReply[count];
        for (var i = 0; i < elements.Length; i++)
            elements[i] = ReadReply();
        return RedisReply.Aggregate(kind, elements);
    }

    private static RedisException Truncated() => new("Redis protocol error: reply ended early.");
}
