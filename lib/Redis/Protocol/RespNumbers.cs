using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace Suite.Redis.Protocol;

/// <summary>Number parsing and formatting in the forms RESP uses (ASCII, <c>inf</c>/<c>-inf</c>).</summary>
internal static class RespNumbers
{
    public static int DigitCount(long value)
    {
        if (value == long.MinValue)
            return 20;
        var count = value < 0 ? 2 : 1;
        var rest = Math.Abs(value);
        while (rest >= 10)
        {
            rest /= 10;
            count++;
        }
        return count;
    }

    public static long ParseInt64(ReadOnlySpan<byte> text) =>
        Utf8Parser.TryParse(text, out long value, out var consumed) && consumed == text.Length
            ? value
            : throw new RedisException($"Redis protocol error: '{Printable(text)}' is not an integer.");

    public static long ParseInt64(in ReadOnlySequence<byte> text)
    {
        if (text.IsSingleSegment)
            return ParseInt64(text.FirstSpan);
        Span<byte> copy = stackalloc byte[32];
        if (text.Length > copy.Length)
            throw new RedisException("Redis protocol error: integer longer than 32 bytes.");
        text.CopyTo(copy);
        return ParseInt64(copy[..(int)text.Length]);
    }

    public static double ParseDouble(ReadOnlySpan<byte> text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            return value;
        // Redis spells the special values its own way.
        return text switch
        {
            _ when text.SequenceEqual("inf"u8) || text.SequenceEqual("+inf"u8) => double.PositiveInfinity,
            _ when text.SequenceEqual("-inf"u8) => double.NegativeInfinity,
            _ when text.SequenceEqual("nan"u8) || text.SequenceEqual("-nan"u8) => double.NaN,
            _ => throw new RedisException($"Redis reply '{Printable(text)}' is not a number."),
        };
    }

    public static double ParseDouble(in ReadOnlySequence<byte> text) =>
        text.IsSingleSegment ? ParseDouble(text.FirstSpan) : ParseDouble(text.ToArray());

    private static string Printable(ReadOnlySpan<byte> text) =>
        System.Text.Encoding.ASCII.GetString(text.Length > 40 ? text[..40] : text);
}
