namespace Suite.Messaging;

/// <summary>Why a job failed (or was cancelled), as its owner sees it.</summary>
/// <param name="Message">A sentence for people; never holds secrets.</param>
/// <param name="Code">A stable machine-readable code, e.g. <c>handler_error</c>, <c>cancelled</c>.</param>
public sealed record JobError(string Message, string? Code = null);
