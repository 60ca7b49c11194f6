namespace Suite.Redis;

/// <summary>The summary form of XPENDING: how many entries a group has delivered but not acknowledged.</summary>
public sealed record StreamPendingSummary(
    long Count, string? LowestId, string? HighestId, IReadOnlyDictionary<string, long> PendingByConsumer);
