namespace Suite.Messaging;

/// <summary>What became of an event a worker appended.</summary>
internal enum AppendOutcome
{
    Written,

    /// <summary>The job had ended (cancelled, or finished by another attempt): the writer must stop.</summary>
    JobEnded,

    /// <summary>A later attempt has started: the writer is a zombie of a reclaimed delivery and must stop.</summary>
    Superseded,
}

/// <summary>The outcome and, when written, the entry id (else the terminal status or the current attempt).</summary>
internal readonly record struct AppendResult(AppendOutcome Outcome, string? Value);
