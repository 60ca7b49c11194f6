using System.Buffers;
using System.Text;
using Suite.Redis.Protocol;

namespace Suite.Redis.Tests;

/// <summary>The parser on hand-made bytes: replies cut anywhere, split across buffers, and RESP3 forms the server rarely sends.</summary>
public sealed class RespProtocolTests
{
    private const string NestedReply =
        "|1\r\n+ttl\r\n:3\r\n" +                       // attribute in front of the reply
        "*4\r\n$5\r\nhe\r\nl\r\n" +                   // bulk string with CRLF inside
        "%2\r\n+a\r\n,1.5\r\n+b\r\n(12345678901234567890\r\n" +
        "~2\r\n#t\r\n_\r\n" +
        "=9\r\ntxt:hello\r\n";

    [Fact]
    public void The_scanner_finds_the_end_of_a_reply_fed_one_byte_at_a_time()
    {
        var bytes = Encoding.ASCII.GetBytes(NestedReply + "+NEXT\r\n");
        var scanner = new RespFrameScanner();

        for (var length = 1; length < NestedReply.Length; length++)
            Assert.False(scanner.TryScan(new ReadOnlySequence<byte>(bytes, 0, length), out _), $"complete at {length} bytes");

        Assert.True(scanner.TryScan(new ReadOnlySequence<byte>(bytes), out var frameLength));
        Assert.Equal(NestedReply.Length, frameLength);
    }

    [Fact]
    public void A_reply_split_across_many_buffer_segments_reads_the_same()
    {
        var bytes = Encoding.ASCII.GetBytes(NestedReply);
        var sequence = Segments(bytes, 3);
        var scanner = new RespFrameScanner();

        Assert.True(scanner.TryScan(sequence, out var frameLength));
        var reader = new RespReader(sequence.Slice(0, frameLength));
        var reply = reader.ReadReply();

        Assert.Equal(bytes.Length, frameLength);
        AssertNestedReply(reply);
    }

    [Fact]
    public void Every_RESP3_type_and_attributes_are_read_into_the_reply_tree()
    {
        var reader = new RespReader(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(NestedReply)));

        AssertNestedReply(reader.ReadReply());
    }

    [Fact]
    public void Push_frames_and_nulls_of_RESP2_are_read()
    {
        var bytes = Encoding.ASCII.GetBytes(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$-1\r\n*-1\r\n!9\r\nERR oops!\r\n");
        var scanner = new RespFrameScanner();
        var buffer = new ReadOnlySequence<byte>(bytes);
        var frames = new List<RedisReply>();
        while (scanner.TryScan(buffer, out var length))
        {
            var reader = new RespReader(buffer.Slice(0, length));
            frames.Add(reader.ReadReply());
            buffer = buffer.Slice(length);
        }

        Assert.Equal([RedisReplyKind.Push, RedisReplyKind.Null, RedisReplyKind.Error], frames.Select(f => f.Kind));
        Assert.True(frames[0][2].IsNull);
        Assert.Equal("ERR oops!", frames[2].AsString());
    }

    [Fact]
    public void Commands_are_encoded_as_arrays_of_bulk_strings()
    {
        var command = CommandBuffer.Start("XGROUP CREATE");
        command.Add(new RedisKey("k"));
        command.Add(-12);
        command.Add(RedisValue.FromDouble(double.PositiveInfinity));
        command.Add("é");

        var encoded = Encoding.UTF8.GetString(command.Encoded);
        command.Return();

        Assert.Equal("*6\r\n$6\r\nXGROUP\r\n$6\r\nCREATE\r\n$1\r\nk\r\n$3\r\n-12\r\n$4\r\n+inf\r\n$2\r\né\r\n", encoded);
    }

    private static void AssertNestedReply(RedisReply reply)
    {
        Assert.Equal(RedisReplyKind.Array, reply.Kind);
        Assert.Equal(3, reply.Attributes!.AsMap()["ttl"].AsInt64());
        Assert.Equal("he\r\nl", reply[0].AsString());
        var map = reply[1].AsMap();
        Assert.Equal(1.5, map["a"].AsDouble());
        Assert.Equal(RedisReplyKind.BigNumber, map["b"].Kind);
        Assert.Equal(RedisReplyKind.Set, reply[2].Kind);
        Assert.True(reply[2][0].AsBoolean());
        Assert.True(reply[2][1].IsNull);
        Assert.Equal(("txt", "hello"), (reply[3].VerbatimFormat, reply[3].AsString()));
    }

    private static ReadOnlySequence<byte> Segments(byte[] bytes, int segmentLength)
    {
        Segment? first = null, last = null;
        for (var offset = 0; offset < bytes.Length; offset += segmentLength)
        {
            var piece = bytes.AsMemory(offset, Math.Min(segmentLength, bytes.Length - offset));
            last = last is null ? first = new Segment(piece, 0) : last.Append(piece);
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
