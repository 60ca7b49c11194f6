namespace Suite.Messaging;

/// <summary>How a job ended, as its state hash records it: what the status row is brought in line with.</summary>
internal sealed record JobTerminal(JobStatus Status, string TerminalEventId, int Attempt, string? ErrorJson, string? ResultJson)
{
    /// <summary>The terminal event's entry id holds the time it was written.</summary>
    public DateTimeOffset Finished => StreamIds.Timestamp(TerminalEventId);

    /// <summary>Reads the {0|1, status, id, attempt, error, result} tuple of the scripts.</summary>
    public static JobTerminal FromReply(Suite.Redis.RedisReply reply) => new(
        JobStatusText.Parse(reply[1].AsString()!),
        reply[2].AsString()!,
        (int)reply[3].AsInt64(),
        NullIfEmpty(reply[4].AsString()),
        NullIfEmpty(reply[5].AsString()));

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
