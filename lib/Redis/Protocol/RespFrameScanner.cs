using System.Buffers;

namespace Suite.Redis.Protocol;

/// <summary>
/// Finds where the next complete reply ends in the received bytes, without allocating. It keeps
/// its place between reads, so a large reply that arrives in many pieces is scanned once. One
/// counter is enough for nesting: each header consumes one awaited value and adds its children.
/// </summary>
internal struct RespFrameScanner
{
    private long _offset;
    private long _remaining;

    /// <summary>True when <paramref name="buffer"/> starts with a whole reply, <paramref name="frameLength"/> bytes long.</summary>
    public bool TryScan(in ReadOnlySequence<byte> buffer, out long frameLength)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (_offset > 0)
            reader.Advance(_offset);
        var remaining = _remaining == 0 ? 1 : _remaining;
        while (remaining > 0)
        {
            if (!reader.TryRead(out var type) || !reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
                break;
            switch (type)
            {
                case (byte)'$' or (byte)'!' or (byte)'=':
                    var length = ParseCount(line);
                    if (length >= 0)
                    {
                        if (reader.Remaining < length + 2)
                        {
                            frameLength = 0;
                            return false;
                        }
                        reader.Advance(length + 2);
                    }
                    remaining--;
                    break;
                case (byte)'*' or (byte)'~' or (byte)'>':
                    remaining += Math.Max(ParseCount(line), 0) - 1;
                    break;
                case (byte)'%':
                    remaining += 2 * Math.Max(ParseCount(line), 0) - 1;
                    break;
                case (byte)'|':
                    // Attributes come in front of the value they describe and do not replace it.
                    remaining += 2 * Math.Max(ParseCount(line), 0);
                    break;
                case (byte)'+' or (byte)'-' or (byte)':' or (byte)',' or (byte)'#' or (byte)'_' or (byte)'(':
                    remaining--;
                    break;
                default:
                    throw new RedisException($"Redis protocol error: unexpected reply type byte 0x{type:x2}.");
            }
            _offset = reader.Consumed;
            _remaining = remaining;
        }

        if (remaining == 0)
        {
            frameLength = _offset;
            _offset = 0;
            _remaining = 0;
            return true;
        }
        frameLength = 0;
        return false;
    }

    /// <summary>Parses the count of a header line that still ends with '\r'.</summary>
    private static long ParseCount(in ReadOnlySequence<byte> lineWithCr) =>
        RespNumbers.ParseInt64(lineWithCr.Slice(0, lineWithCr.Length - 1));
}
