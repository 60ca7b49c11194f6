namespace Suite.Redis;

/// <summary>The RESP2/RESP3 type of a <see cref="RedisReply"/>.</summary>
public enum RedisReplyKind
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
    Null,
    Boolean,
    Double,
    BigNumber,
    VerbatimString,
    Map,
    Set,
    Push,
}
