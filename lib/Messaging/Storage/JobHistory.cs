namespace Suite.Messaging;

/// <summary>What is kept of a job's stream.</summary>
/// <param name="FirstId">The oldest event kept (null when the stream is empty).</param>
/// <param name="LastId">The last id the stream ever generated.</param>
/// <param name="MissingThrough">The newest event that is no longer kept (trimmed); a resume point before it has a gap.</param>
internal sealed record JobHistory(string? FirstId, string LastId, string? MissingThrough)
{
    /// <summary>True when events after <paramref name="position"/> were removed.</summary>
    public bool HasGapAfter(string position) =>
        MissingThrough is not null && StreamIds.Compare(position, MissingThrough) < 0;
}
