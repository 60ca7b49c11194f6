namespace Suite.Redis;

/// <summary>A stream and the id to read after (XREAD) or the id to start at (XREADGROUP: <c>&gt;</c> for new entries).</summary>
public readonly record struct StreamPosition(RedisKey Key, string Id);
