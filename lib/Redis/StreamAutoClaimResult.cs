namespace Suite.Redis;

/// <summary>What XAUTOCLAIM returned.</summary>
/// <param name="NextStartId">Where the next call should start; <c>0-0</c> once the whole pending list was scanned.</param>
/// <param name="Entries">The entries now owned by the claiming consumer.</param>
/// <param name="DeletedIds">Pending ids whose entries no longer exist (removed from the pending list).</param>
public sealed record StreamAutoClaimResult(string NextStartId, IReadOnlyList<StreamEntry> Entries, IReadOnlyList<string> DeletedIds);
