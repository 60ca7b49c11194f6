using System.Buffers;
using System.Text;

namespace Suite.Redis.Protocol;

/// <summary>The parsers the typed commands use. Scalar ones read straight from the received bytes.</summary>
internal static class ReplyParsers
{
    public static readonly ReplyParser<RedisReply> Reply = new ReplyTreeParser();
    public static readonly ReplyParser<RedisValue> Value = new ValueParser();
    public static readonly ReplyParser<string?> String = new StringParser();
    public static readonly ReplyParser<long> Int64 = new Int64Parser();
    public static readonly ReplyParser<double> Double = new DoubleParser();

    /// <summary><c>+OK</c> (or any status) is true, nil is false: SET NX/XX answer nil when they did nothing.</summary>
    public static readonly ReplyParser<bool> Ok = new OkParser();

    /// <summary>1/0 integers and RESP3 booleans.</summary>
    public static readonly ReplyParser<bool> Boolean = new BooleanParser();

    /// <summary>An array of scalars (MGET, HMGET), nil elements kept as <see cref="RedisValue.Null"/>.</summary>
    public static readonly ReplyParser<RedisValue[]> ValueArray = new ValueArrayParser();

    /// <summary>Builds the reply tree, then maps it; for composite results where the tree costs little.</summary>
    public static ReplyParser<T> Mapped<T>(Func<RedisReply, T> map) => new MappedParser<T>(map);

    private sealed class ReplyTreeParser : ReplyParser<RedisReply>
    {
        public override RedisReply Parse(ref RespReader reader) => reader.ReadReply();
    }

    private sealed class MappedParser<T>(Func<RedisReply, T> map) : ReplyParser<T>
    {
        public override T Parse(ref RespReader reader) => map(reader.ReadReply());
    }

    private sealed class ValueParser : ReplyParser<RedisValue>
    {
        public override RedisValue Parse(ref RespReader reader)
        {
            var type = reader.ReadScalar(out var payload);
            return type switch
            {
                RespReader.NullType => RedisValue.Null,
                (byte)':' => RedisValue.FromInt64(RespNumbers.ParseInt64(payload)),
                (byte)',' => RedisValue.FromDouble(RespNumbers.ParseDouble(payload)),
                (byte)'#' => RedisValue.FromInt64(IsTrue(payload) ? 1 : 0),
                (byte)'*' or (byte)'~' or (byte)'%' or (byte)'>' => throw Unexpected(type, "a single value"),
                _ => RedisValue.FromBytes(payload.ToArray()),
            };
        }
    }

    private sealed class ValueArrayParser : ReplyParser<RedisValue[]>
    {
        public override RedisValue[] Parse(ref RespReader reader)
        {
            reader.SkipAttributes();
            var type = reader.ReadHeader(out var line);
            if (type is not ((byte)'*' or (byte)'~'))
                throw Unexpected(type, "an array");
            var count = RespNumbers.ParseInt64(line);
            if (count <= 0)
                return [];
            var values = new RedisValue[count];
            for (var i = 0; i < values.Length; i++)
                values[i] = Value.Parse(ref reader);
            return values;
        }
    }

    private sealed class StringParser : ReplyParser<string?>
    {
        public override string? Parse(ref RespReader reader)
        {
            var type = reader.ReadScalar(out var payload);
            return type switch
            {
                RespReader.NullType => null,
                (byte)'#' => IsTrue(payload) ? "1" : "0",
                (byte)'*' or (byte)'~' or (byte)'%' or (byte)'>' => throw Unexpected(type, "a string"),
                _ => payload.IsSingleSegment ? Encoding.UTF8.GetString(payload.FirstSpan) : Encoding.UTF8.GetString(payload),
            };
        }
    }

    private sealed class Int64Parser : ReplyParser<long>
    {
        public override long Parse(ref RespReader reader)
        {
            var type = reader.ReadScalar(out var payload);
            return type switch
            {
                (byte)'#' => IsTrue(payload) ? 1 : 0,
                (byte)',' => (long)RespNumbers.ParseDouble(payload),
                (byte)':' or (byte)'$' or (byte)'+' or (byte)'(' => RespNumbers.ParseInt64(payload),
                _ => throw Unexpected(type, "an integer"),
            };
        }
    }

    private sealed class DoubleParser : ReplyParser<double>
    {
        public override double Parse(ref RespReader reader)
        {
            var type = reader.ReadScalar(out var payload);
            return type switch
            {
                (byte)',' or (byte)':' or (byte)'$' or (byte)'+' => RespNumbers.ParseDouble(payload),
                _ => throw Unexpected(type, "a number"),
            };
        }
    }

    private sealed class OkParser : ReplyParser<bool>
    {
        public override bool Parse(ref RespReader reader) => reader.ReadScalar(out _) != RespReader.NullType;
    }

    private sealed class BooleanParser : ReplyParser<bool>
    {
        public override bool Parse(ref RespReader reader)
        {
            var type = reader.ReadScalar(out var payload);
            return type switch
            {
                RespReader.NullType => false,
                (byte)'#' => IsTrue(payload),
                (byte)':' => RespNumbers.ParseInt64(payload) != 0,
                (byte)'+' => true,
                _ => throw Unexpected(type, "a boolean"),
            };
        }
    }

    private static bool IsTrue(in ReadOnlySequence<byte> payload) => payload.FirstSpan.Length > 0 && payload.FirstSpan[0] == (byte)'t';
}
