namespace Suite.Redis.Protocol;

/// <summary>
/// Turns one complete, non-error reply into a command's result type. Parsers are stateless
/// singletons (see <see cref="ReplyParsers"/>), so choosing one costs no allocation.
/// </summary>
internal abstract class ReplyParser<T>
{
    public abstract T Parse(ref RespReader reader);

    protected static RedisException Unexpected(byte type, string wanted) =>
        new($"Expected {wanted} in the Redis reply but got one of type '{(char)type}'.");
}
