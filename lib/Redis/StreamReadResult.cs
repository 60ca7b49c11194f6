namespace Suite.Redis;

/// <summary>The entries XREAD / XREADGROUP returned for one stream.</summary>
public sealed record StreamReadResult(string Key, IReadOnlyList<StreamEntry> Entries);
