namespace Suite.Redis;

/// <summary>XINFO STREAM. Fields the server does not send (older versions) are null.</summary>
public sealed record StreamInfo(
    long Length,
    long Groups,
    string LastGeneratedId,
    StreamEntry? FirstEntry,
    StreamEntry? LastEntry,
    long? EntriesAdded,
    string? MaxDeletedEntryId,
    string? RecordedFirstEntryId);
