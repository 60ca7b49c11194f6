using System.Globalization;
using System.Numerics;
using System.Text;

namespace Suite.Redis;

/// <summary>
/// One reply from the server as a tree: its <see cref="Kind"/> and its value. Strings keep their raw
/// bytes; aggregates (arrays, maps, sets, pushes) hold their <see cref="Elements"/> (a map's elements
/// are key, value, key, value…). RESP3 attributes sent ahead of a reply are in <see cref="Attributes"/>.
/// </summary>
public sealed class RedisReply
{
    private static readonly RedisReply[] NoElements = [];
    private readonly byte[]? _bytes;
    private readonly RedisReply[] _elements;
    private readonly long _integer;
    private readonly double _double;

    private RedisReply(RedisReplyKind kind, byte[]? bytes = null, RedisReply[]? elements = null, long integer = 0, double number = 0)
    {
        Kind = kind;
        _bytes = bytes;
        _elements = elements ?? NoElements;
        _integer = integer;
        _double = number;
    }

    public static RedisReply Null { get; } = new(RedisReplyKind.Null);

    internal static RedisReply True { get; } = new(RedisReplyKind.Boolean, integer: 1);

    internal static RedisReply False { get; } = new(RedisReplyKind.Boolean, integer: 0);

    public RedisReplyKind Kind { get; }

    /// <summary>RESP3 attributes (a map) that came ahead of this reply, if any.</summary>
    public RedisReply? Attributes { get; private init; }

    /// <summary>For a verbatim string, its three-letter format (<c>txt</c>, <c>mkd</c>).</summary>
    public string? VerbatimFormat { get; private init; }

    public bool IsNull => Kind == RedisReplyKind.Null;

    public bool IsError => Kind == RedisReplyKind.Error;

    public bool IsAggregate => Kind is RedisReplyKind.Array or RedisReplyKind.Map or RedisReplyKind.Set or RedisReplyKind.Push;

    /// <summary>The elements of an array, set or push; a map's keys and values alternate. Empty otherwise.</summary>
    public IReadOnlyList<RedisReply> Elements => _elements;

    public int Count => _elements.Length;

    public RedisReply this[int index] => _elements[index];

    internal static RedisReply Text(RedisReplyKind kind, byte[] bytes) => new(kind, bytes);

    internal static RedisReply Verbatim(string format, byte[] bytes) =>
        new(RedisReplyKind.VerbatimString, bytes) { VerbatimFormat = format };

    internal static RedisReply Integer(long value) => new(RedisReplyKind.Integer, integer: value);

    internal static RedisReply Double(double value) => new(RedisReplyKind.Double, number: value);

    internal static RedisReply Aggregate(RedisReplyKind kind, RedisReply[] elements) => new(kind, elements: elements);

    internal RedisReply WithAttributes(RedisReply attributes) =>
        new(Kind, _bytes, _elements, _integer, _double) { Attributes = attributes, VerbatimFormat = VerbatimFormat };

    /// <summary>The reply as text: strings, errors, numbers and booleans; null for a null reply.</summary>
    public string? AsString() => Kind switch
    {
        RedisReplyKind.Null => null,
        RedisReplyKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        RedisReplyKind.Double => RedisValue.FormatDouble(_double),
        RedisReplyKind.Boolean => _integer != 0 ? "true" : "false",
        _ when _bytes is not null => Encoding.UTF8.GetString(_bytes),
        _ => throw Unexpected("a string"),
    };

    /// <summary>The raw bytes of a string reply; null for a null reply.</summary>
    public byte[]? AsBytes() => Kind == RedisReplyKind.Null ? null : _bytes ?? Encoding.ASCII.GetBytes(AsString()!);

    /// <summary>The reply as a <see cref="RedisValue"/> (bytes for strings, numbers kept as numbers).</summary>
    public RedisValue AsValue() => Kind switch
    {
        RedisReplyKind.Null => RedisValue.Null,
        RedisReplyKind.Integer or RedisReplyKind.Boolean => RedisValue.FromInt64(_integer),
        RedisReplyKind.Double => RedisValue.FromDouble(_double),
        _ when _bytes is not null => RedisValue.FromBytes(_bytes),
        _ => throw Unexpected("a value"),
    };

    /// <summary>An integer reply, or a string that holds one (RESP2 sends many numbers as strings).</summary>
    public long AsInt64() => Kind switch
    {
        RedisReplyKind.Integer or RedisReplyKind.Boolean => _integer,
        RedisReplyKind.Double when _double == Math.Floor(_double) => (long)_double,
        _ when _bytes is not null && Kind != RedisReplyKind.Error => AsValue().ToInt64(),
        _ => throw Unexpected("an integer"),
    };

    public double AsDouble() => Kind switch
    {
        RedisReplyKind.Double => _double,
        RedisReplyKind.Integer => _integer,
        _ when _bytes is not null && Kind != RedisReplyKind.Error => Protocol.RespNumbers.ParseDouble(_bytes),
        _ => throw Unexpected("a number"),
    };

    public BigInteger AsBigInteger() => Kind switch
    {
        RedisReplyKind.Integer => _integer,
        _ => BigInteger.Parse(AsString() ?? throw Unexpected("a number"), CultureInfo.InvariantCulture),
    };

    /// <summary>A RESP3 boolean, or an integer 1/0 as RESP2 sends them.</summary>
    public bool AsBoolean() => Kind switch
    {
        RedisReplyKind.Boolean or RedisReplyKind.Integer => _integer != 0,
        RedisReplyKind.SimpleString => AsString() == "OK",
        _ => throw Unexpected("a boolean"),
    };

    /// <summary>
    /// The key/value pairs of a RESP3 map, or of a RESP2 array that lists them flat (HGETALL, XINFO).
    /// Later duplicates of a key win.
    /// </summary>
    public IReadOnlyDictionary<string, RedisReply> AsMap()
    {
        if (Kind is not (RedisReplyKind.Map or RedisReplyKind.Array) || _elements.Length % 2 != 0)
            throw Unexpected("a map");
        var map = new Dictionary<string, RedisReply>(_elements.Length / 2);
        for (var i = 0; i < _elements.Length; i += 2)
            map[_elements[i].AsString() ?? ""] = _elements[i + 1];
        return map;
    }

    /// <summary>A short rendering for logs and test failures (strings cut at 100 characters).</summary>
    public override string ToString() => Kind switch
    {
        RedisReplyKind.Null => "(nil)",
        RedisReplyKind.Error => $"(error) {AsString()}",
        _ when IsAggregate => $"{Kind}[{string.Join(", ", _elements.Take(20).Select(e => e.ToString()))}{(_elements.Length > 20 ? ", …" : "")}]",
        _ => Shorten(AsString() ?? ""),
    };

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";

    private RedisException Unexpected(string wanted) =>
        new($"Expected {wanted} in the Redis reply but got {Kind}: {Shorten(ToString())}");
}
