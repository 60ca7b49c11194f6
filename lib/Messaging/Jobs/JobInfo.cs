using System.Text.Json;

namespace Suite.Messaging;

/// <summary>A job's status as recorded in PostgreSQL (<c>jobs.jobs</c>): the projection of its event stream.</summary>
public sealed record JobInfo
{
    public required string Id { get; init; }

    /// <summary>What kind of work it is; picks the handler (<c>AddJobHandler&lt;T&gt;(kind)</c>).</summary>
    public required string Kind { get; init; }

    /// <summary>Who may see it (see <see cref="IJobOwnerResolver"/>).</summary>
    public required string Owner { get; init; }

    public required JobStatus Status { get; init; }

    public required DateTimeOffset Created { get; init; }

    public DateTimeOffset? Started { get; init; }

    public DateTimeOffset? Finished { get; init; }

    /// <summary>How many times a worker started it; 0 while queued.</summary>
    public int Attempt { get; init; }

    public JobError? Error { get; init; }

    /// <summary>The result when it was small enough to keep here (<see cref="JobsOptions.MaxResultSummaryBytes"/>); the full result is in the stream.</summary>
    public JsonElement? ResultSummary { get; init; }

    /// <summary>The stream id of the last status event written (the terminal one once the job has finished).</summary>
    public string? LastEventId { get; init; }

    public bool IsTerminal => Status.IsTerminal();
}
