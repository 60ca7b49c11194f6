using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Suite.Redis;

/// <summary>
/// A value sent to or read from Redis: text, bytes, an integer, a double, or null. Values read from
/// the server hold the raw bytes, so binary data survives; convert with <see cref="ToString"/>,
/// <see cref="ToArray"/>, <see cref="ToInt64"/> or the implicit conversions.
/// </summary>
public readonly struct RedisValue : IEquatable<RedisValue>
{
    private enum Kind : byte { Null, Text, Bytes, Integer, Double }

    private readonly Kind _kind;
    private readonly string? _text;
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly long _number;

    private RedisValue(Kind kind, string? text, ReadOnlyMemory<byte> bytes, long number)
    {
        _kind = kind;
        _text = text;
        _bytes = bytes;
        _number = number;
    }

    /// <summary>The Redis nil value (a missing key or field).</summary>
    public static RedisValue Null => default;

    public bool IsNull => _kind == Kind.Null;

    public static RedisValue FromText(string? text) => text is null ? Null : new(Kind.Text, text, default, 0);

    public static RedisValue FromBytes(ReadOnlyMemory<byte> bytes) => new(Kind.Bytes, null, bytes, 0);

    public static RedisValue FromInt64(long value) => new(Kind.Integer, null, default, value);

    public static RedisValue FromDouble(double value) => new(Kind.Double, null, default, BitConverter.DoubleToInt64Bits(value));

    public static implicit operator RedisValue(string? text) => FromText(text);
    public static implicit operator RedisValue(byte[]? bytes) => bytes is null ? Null : FromBytes(bytes);
    public static implicit operator RedisValue(ReadOnlyMemory<byte> bytes) => FromBytes(bytes);
    public static implicit operator RedisValue(long value) => FromInt64(value);
    public static implicit operator RedisValue(int value) => FromInt64(value);
    public static implicit operator RedisValue(double value) => FromDouble(value);
    public static implicit operator RedisValue(bool value) => FromInt64(value ? 1 : 0);
    public static implicit operator string?(RedisValue value) => value.AsString();
    public static implicit operator byte[]?(RedisValue value) => value.IsNull ? null : value.ToArray();

    /// <summary>The value as UTF-8 text; null for <see cref="Null"/>.</summary>
    public string? AsString() => _kind switch
    {
        Kind.Null => null,
        Kind.Text => _text,
        Kind.Bytes => Encoding.UTF8.GetString(_bytes.Span),
        Kind.Integer => _number.ToString(CultureInfo.InvariantCulture),
        _ => FormatDouble(BitConverter.Int64BitsToDouble(_number)),
    };

    /// <summary>The value as UTF-8 text; the empty string for <see cref="Null"/>.</summary>
    public override string ToString() => AsString() ?? "";

    /// <summary>The raw bytes (a new array); empty for <see cref="Null"/>.</summary>
    public byte[] ToArray() => _kind switch
    {
        Kind.Null => [],
        Kind.Bytes => _bytes.ToArray(),
        Kind.Text => Encoding.UTF8.GetBytes(_text!),
        _ => Encoding.ASCII.GetBytes(AsString()!),
    };

    /// <summary>The raw bytes without copying when the value holds bytes.</summary>
    public ReadOnlyMemory<byte> AsMemory() => _kind == Kind.Bytes ? _bytes : ToArray();

    /// <summary>Parses the value as an integer; throws <see cref="FormatException"/> when it is not one.</summary>
    public long ToInt64() => TryParseInt64(out var value)
        ? value
        : throw new FormatException($"The Redis value '{Truncate(ToString())}' is not an integer.");

    public bool TryParseInt64(out long value)
    {
        switch (_kind)
        {
            case Kind.Integer:
                value = _number;
                return true;
            case Kind.Bytes:
                return Utf8Parser.TryParse(_bytes.Span, out value, out var consumed) && consumed == _bytes.Length;
            case Kind.Text:
                return long.TryParse(_text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>Parses the value as a double (accepts Redis' <c>inf</c>, <c>-inf</c>).</summary>
    public double ToDouble() => _kind switch
    {
        Kind.Double => BitConverter.Int64BitsToDouble(_number),
        Kind.Integer => _number,
        _ => Protocol.RespNumbers.ParseDouble(AsMemory().Span),
    };

    /// <summary>Number of bytes the value takes on the wire.</summary>
    internal int GetByteCount() => _kind switch
    {
        Kind.Null => 0,
        Kind.Text => Encoding.UTF8.GetByteCount(_text!),
        Kind.Bytes => _bytes.Length,
        Kind.Integer => Protocol.RespNumbers.DigitCount(_number),
        _ => Encoding.ASCII.GetByteCount(FormatDouble(BitConverter.Int64BitsToDouble(_number))),
    };

    /// <summary>Writes the wire bytes into <paramref name="destination"/>, sized by <see cref="GetByteCount"/>.</summary>
    internal int WriteTo(Span<byte> destination)
    {
        switch (_kind)
        {
            case Kind.Null:
                return 0;
            case Kind.Text:
                return Encoding.UTF8.GetBytes(_text!, destination);
            case Kind.Bytes:
                _bytes.Span.CopyTo(destination);
                return _bytes.Length;
            case Kind.Integer:
                Utf8Formatter.TryFormat(_number, destination, out var written);
                return written;
            default:
                return Encoding.ASCII.GetBytes(FormatDouble(BitConverter.Int64BitsToDouble(_number)), destination);
        }
    }

    public bool Equals(RedisValue other)
    {
        if (IsNull || other.IsNull)
            return IsNull && other.IsNull;
        if (_kind == Kind.Text && other._kind == Kind.Text)
            return _text == other._text;
        return AsMemory().Span.SequenceEqual(other.AsMemory().Span);
    }

    public override bool Equals(object? obj) => obj is RedisValue other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(AsMemory().Span);
        return hash.ToHashCode();
    }

    public static bool operator ==(RedisValue left, RedisValue right) => left.Equals(right);
    public static bool operator !=(RedisValue left, RedisValue right) => !left.Equals(right);

    internal static string FormatDouble(double value) =>
        double.IsPositiveInfinity(value) ? "+inf"
        : double.IsNegativeInfinity(value) ? "-inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
