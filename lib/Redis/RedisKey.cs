using System.Text;

namespace Suite.Redis;

/// <summary>A Redis key: text (sent as UTF-8) or raw bytes. Converts implicitly from both.</summary>
public readonly struct RedisKey : IEquatable<RedisKey>
{
    private readonly string? _text;
    private readonly ReadOnlyMemory<byte> _bytes;

    public RedisKey(string text) => _text = text ?? throw new ArgumentNullException(nameof(text));

    public RedisKey(ReadOnlyMemory<byte> bytes) => _bytes = bytes;

    /// <summary>The key when it was given as text, else null.</summary>
    internal string? Text => _text;

    internal ReadOnlyMemory<byte> Bytes => _bytes;

    public static implicit operator RedisKey(string text) => new(text);
    public static implicit operator RedisKey(byte[] bytes) => new(bytes ?? throw new ArgumentNullException(nameof(bytes)));
    public static implicit operator RedisKey(ReadOnlyMemory<byte> bytes) => new(bytes);

    /// <summary>Keys are sent as bulk strings, exactly as values are.</summary>
    public static implicit operator RedisValue(RedisKey key) =>
        key._text is not null ? RedisValue.FromText(key._text) : RedisValue.FromBytes(key._bytes);

    /// <summary>The key's bytes (UTF-8 for text keys).</summary>
    public ReadOnlyMemory<byte> AsMemory() => _text is not null ? Encoding.UTF8.GetBytes(_text) : _bytes;

    public override string ToString() => _text ?? Encoding.UTF8.GetString(_bytes.Span);

    public bool Equals(RedisKey other) =>
        _text is not null && other._text is not null ? _text == other._text : AsMemory().Span.SequenceEqual(other.AsMemory().Span);

    public override bool Equals(object? obj) => obj is RedisKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(AsMemory().Span);
        return hash.ToHashCode();
    }

    public static bool operator ==(RedisKey left, RedisKey right) => left.Equals(right);
    public static bool operator !=(RedisKey left, RedisKey right) => !left.Equals(right);
}
