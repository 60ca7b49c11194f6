namespace Suite.Redis.Connections;

/// <summary>What a physical connection is used for.</summary>
internal enum ConnectionKind
{
    /// <summary>The shared, pipelined connection every caller's commands go through.</summary>
    Multiplexed,

    /// <summary>A connection in pub/sub mode: it receives messages besides replies.</summary>
    Subscriber,

    /// <summary>A connection lent to one blocking command (XREAD BLOCK, BLPOP) at a time.</summary>
    Blocking,
}
