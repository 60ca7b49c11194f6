using System.Security.Cryptography;
using System.Text;

namespace Suite.Redis;

/// <summary>
/// A Lua script and its SHA1, computed here once. <see cref="RedisClient.EvalAsync"/> runs it by SHA
/// (EVALSHA) and sends the text only when the server does not have it yet. Keep instances in static
/// fields.
/// </summary>
public sealed class RedisScript
{
    public RedisScript(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        Text = text;
        Sha1 = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public string Text { get; }

    /// <summary>Lower-case hex SHA1 of the UTF-8 text, as SCRIPT LOAD returns it.</summary>
    public string Sha1 { get; }

    public override string ToString() => $"RedisScript {Sha1}";
}
