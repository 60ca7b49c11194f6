namespace Suite.Messaging;

/// <summary>The wire names of <see cref="JobStatus"/> values, and which of them end a job.</summary>
internal static class JobStatusText
{
    public static string ToText(this JobStatus status) => status switch
    {
        JobStatus.Queued => "queued",
        JobStatus.Running => "running",
        JobStatus.Succeeded => "succeeded",
        JobStatus.Failed => "failed",
        JobStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown job status."),
    };

    public static JobStatus Parse(string text) => text switch
    {
        "queued" => JobStatus.Queued,
        "running" => JobStatus.Running,
        "succeeded" => JobStatus.Succeeded,
        "failed" => JobStatus.Failed,
        "cancelled" => JobStatus.Cancelled,
        _ => throw new FormatException($"'{text}' is not a job status."),
    };

    public static bool IsTerminal(this JobStatus status) =>
        status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    public static bool IsTerminal(string text) => text is "succeeded" or "failed" or "cancelled";
}
