namespace Suite.Redis;

/// <summary>One consumer group from XINFO GROUPS. <see cref="Lag"/> is null when Redis cannot tell.</summary>
public sealed record StreamGroupInfo(
    string Name, long Consumers, long Pending, string LastDeliveredId, long? EntriesRead, long? Lag);
