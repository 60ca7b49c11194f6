namespace Suite.Messaging;

/// <summary>
/// The types of the events in a job's stream (the SSE <c>event:</c> field). A job's last event is a
/// <see cref="Status"/> event with a terminal status; a succeeded job has a <see cref="Result"/>
/// event just before it, a failed one an <see cref="Error"/> event.
/// </summary>
public static class JobEventTypes
{
    /// <summary>The job changed status: <c>{"status":"running"}</c>.</summary>
    public const string Status = "status";

    /// <summary>How far the job is: <c>{"fraction":0.4,"message":"…"}</c>.</summary>
    public const string Progress = "progress";

    /// <summary>A piece of the job's output (a token batch, a row, a chunk), as the handler wrote it.</summary>
    public const string Output = "output";

    /// <summary>A log line for the job's owner: <c>{"level":"info","message":"…"}</c>.</summary>
    public const string Log = "log";

    /// <summary>The job's result, written once when it succeeds.</summary>
    public const string Result = "result";

    /// <summary>Why the job failed: <c>{"message":"…","code":"…"}</c>.</summary>
    public const string Error = "error";
}
