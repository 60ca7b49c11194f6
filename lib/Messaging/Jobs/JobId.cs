using System.Security.Cryptography;

namespace Suite.Messaging;

/// <summary>
/// Job ids: 26 characters of Crockford base32 holding a 48-bit Unix time in milliseconds and 80
/// random bits, ULID-style. Ids sort (ordinally) by creation time; ids made in one process within
/// the same millisecond still sort in creation order, because the random part is incremented.
/// </summary>
public static class JobId
{
    /// <summary>Length of every job id.</summary>
    public const int Length = 26;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static readonly UInt128 RandomMask = (UInt128.One << 80) - 1;
    private static readonly Lock Gate = new();
    private static long _lastMilliseconds = -1;
    private static UInt128 _lastRandom;

    /// <summary>A new id for the current time.</summary>
    public static string New() => New(DateTimeOffset.UtcNow);

    /// <summary>A new id for <paramref name="time"/>; never equal to nor sorting before an id this process made earlier.</summary>
    internal static string New(DateTimeOffset time)
    {
        var milliseconds = Math.Max(0, time.ToUnixTimeMilliseconds());
        UInt128 random;
        lock (Gate)
        {
            if (milliseconds <= _lastMilliseconds)
            {
                // Same millisecond (or the clock stepped back): keep the order by counting up.
                milliseconds = _lastMilliseconds;
                random = (_lastRandom + 1) & RandomMask;
                if (random == UInt128.Zero)
                    milliseconds++;
            }
            else
            {
                random = NextRandom();
            }
            _lastMilliseconds = milliseconds;
            _lastRandom = random;
        }
        return Encode(((UInt128)(ulong)milliseconds << 80) | random);
    }

    /// <summary>True when <paramref name="id"/> has the shape of a job id (upper-case Crockford base32, 26 characters).</summary>
    public static bool IsValid(string? id)
    {
        if (id is null || id.Length != Length || id[0] > '7')
            return false;
        foreach (var c in id)
        {
            if (!Alphabet.Contains(c))
                return false;
        }
        return true;
    }

    /// <summary>When the id was made.</summary>
    public static DateTimeOffset GetTimestamp(string id)
    {
        if (!IsValid(id))
            throw new FormatException($"'{id}' is not a job id.");
        long milliseconds = 0;
        // The first 10 characters hold the 48-bit time (the first one only 3 bits).
        for (var i = 0; i < 10; i++)
            milliseconds = (milliseconds << 5) | (long)Alphabet.IndexOf(id[i]);
        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }

    private static UInt128 NextRandom()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        // Keep the top bit clear so counting up within a millisecond has room before it wraps.
        return new UInt128(BitConverter.ToUInt64(bytes), BitConverter.ToUInt64(bytes[8..])) & (RandomMask >> 1);
    }

    private static string Encode(UInt128 value) => string.Create(Length, value, static (chars, v) =>
    {
        for (var i = Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(ulong)(v & 31)];
            v >>= 5;
        }
    });
}
