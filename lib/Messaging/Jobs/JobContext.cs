using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Suite.Messaging;

/// <summary>
/// What a job handler works with: the job's input, and the writers of its event stream. Each write is
/// one atomic append to <c>job:{id}</c> tagged with <see cref="Attempt"/>. When the job has been cancelled
/// or a later attempt has taken it over, a write throws <see cref="OperationCanceledException"/> and the
/// handler's cancellation token fires: the handler should stop.
/// </summary>
public sealed class JobContext
{
    private readonly JobStreams _streams;
    private readonly CancellationTokenSource _stop;
    private readonly int _maxSummaryBytes;

    internal JobContext(JobStreams streams, JobMessage message, int attempt, CancellationTokenSource stop, int maxSummaryBytes)
    {
        _streams = streams;
        _stop = stop;
        _maxSummaryBytes = maxSummaryBytes;
        JobId = message.JobId;
        Kind = message.Kind;
        Owner = message.Owner;
        Input = message.Input;
        Attempt = attempt;
    }

    public string JobId { get; }

    public string Kind { get; }

    public string Owner { get; }

    /// <summary>Which start of the job this is (1 first; higher after a worker died or the job was retried).</summary>
    public int Attempt { get; }

    /// <summary>The input given to <see cref="IJobQueue.EnqueueAsync{TInput}"/>, as JSON.</summary>
    public JsonElement Input { get; }

    /// <summary>How the job ended, once this attempt wrote its end or found it ended.</summary>
    internal JobTerminal? Ended { get; private set; }

    /// <summary>True once the job has ended (by this attempt or otherwise).</summary>
    public bool IsFinished => Ended is not null;

    /// <summary>The input read as <typeparamref name="T"/> (web JSON defaults: camelCase).</summary>
    public T? GetInput<T>() => Input.Deserialize<T>(JobJson.Options);

    /// <summary>Reports how far the job is: a <c>progress</c> event.</summary>
    public Task ReportProgressAsync(double? fraction, string? message = null, CancellationToken cancellationToken = default) =>
        AppendAsync(JobEventTypes.Progress, JobJson.Serialize(new ProgressData(fraction, message)), cancellationToken);

    /// <summary>Writes a piece of output: an <c>output</c> event whose data is <paramref name="data"/> as JSON.</summary>
    public Task WriteOutputAsync<T>(T data, CancellationToken cancellationToken = default) =>
        AppendAsync(JobEventTypes.Output, JobJson.Serialize(data), cancellationToken);

    /// <summary>Writes a log line for the job's owner: a <c>log</c> event. Never pass secrets.</summary>
    public Task LogAsync(string message, string level = "info", CancellationToken cancellationToken = default) =>
        AppendAsync(JobEventTypes.Log, JobJson.Serialize(new LogData(level, message)), cancellationToken);

    /// <summary>Ends the job successfully: a <c>result</c> event, then the terminal <c>succeeded</c> status.</summary>
    public async Task CompleteAsync<T>(T result, CancellationToken cancellationToken = default)
    {
        var json = JobJson.Serialize(result);
        var summary = Encoding.UTF8.GetByteCount(json) <= _maxSummaryBytes ? json : null;
        await FinishAsync(JobStatus.Succeeded, JobEventTypes.Result, json, null, summary, cancellationToken);
    }

    /// <summary>Ends the job as failed: an <c>error</c> event, then the terminal <c>failed</c> status.</summary>
    public async Task FailAsync(string message, string? code = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        var error = JobJson.Serialize(new JobError(message, code));
        await FinishAsync(JobStatus.Failed, JobEventTypes.Error, error, error, null, cancellationToken);
    }

    /// <summary>Records that the job had ended when this attempt started or checked.</summary>
    internal void Observe(JobTerminal ended) => Ended = ended;

    private async Task AppendAsync(string type, string data, CancellationToken cancellationToken)
    {
        if (Ended is not null)
            throw new InvalidOperationException($"Job {JobId} has ended ({Ended.Status.ToText()}); nothing more can be written to it.");
        var written = await _streams.AppendAsync(JobId, Attempt, type, data, cancellationToken);
        if (written.Outcome != AppendOutcome.Written)
            throw Stop();
    }

    private async Task FinishAsync(JobStatus status, string? detailType, string? detailData, string? error, string? summary, CancellationToken cancellationToken)
    {
        if (Ended is { } before)
        {
            // A repeated end is fine when it says the same; a different one is a handler bug.
            if (before.Status == status && before.Attempt == Attempt)
                return;
            throw new InvalidOperationException($"Job {JobId} has ended ({before.Status.ToText()}) already.");
        }
        var ended = await _streams.FinishAsync(JobId, Attempt, status, detailType, detailData, error, summary, cancellationToken)
            ?? throw Stop();
        Ended = ended;
        // Ended some other way (cancelled meanwhile): tell the handler its end did not count.
        if (ended.Status != status || ended.Attempt != Attempt)
            throw Stop();
    }

    /// <summary>Fires the handler's token and returns the exception that tells it to stop.</summary>
    private OperationCanceledException Stop()
    {
        _stop.Cancel();
        return new OperationCanceledException($"Job {JobId} attempt {Attempt} was stopped: the job was cancelled or taken over by a later attempt.", _stop.Token);
    }

    private sealed record ProgressData(
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Fraction,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message);

    private sealed record LogData(string Level, string Message);
}
