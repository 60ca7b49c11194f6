using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Suite.Messaging;

/// <summary>Redis stream entry ids (<c>ms-seq</c>): parsing, ordering and the time they hold.</summary>
internal static class StreamIds
{
    /// <summary>Parses a full id <c>ms-seq</c> (both parts decimal); false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? id, out (ulong Milliseconds, ulong Sequence) parts)
    {
        parts = default;
        if (string.IsNullOrEmpty(id) || id.Length > 41)
            return false;
        var dash = id.IndexOf('-');
        if (dash <= 0 || dash == id.Length - 1)
            return false;
        if (!ulong.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || !ulong.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            return false;
        parts = (ms, seq);
        return true;
    }

    public static bool IsValid([NotNullWhen(true)] string? id) => TryParse(id, out _);

    /// <summary>Orders two valid ids as Redis does.</summary>
    public static int Compare(string left, string right)
    {
        if (!TryParse(left, out var l) || !TryParse(right, out var r))
            throw new FormatException($"'{left}' or '{right}' is not a stream id.");
        var byTime = l.Milliseconds.CompareTo(r.Milliseconds);
        return byTime != 0 ? byTime : l.Sequence.CompareTo(r.Sequence);
    }

    public static DateTimeOffset Timestamp(string id) =>
        TryParse(id, out var parts)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(parts.Milliseconds, 253_402_300_799_999UL))
            : throw new FormatException($"'{id}' is not a stream id.");
}
