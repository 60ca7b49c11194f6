using System.Globalization;
using Microsoft.Extensions.Options;
using Suite.Redis;

namespace Suite.Messaging;

/// <summary>
/// The Redis side of the job store: the event stream <c>job:{id}</c> and the state hash
/// <c>job:{id}:state</c> beside it. Every write is one script call, so one round trip.
/// </summary>
internal sealed class JobStreams(RedisClient redis, IOptions<JobsOptions> options)
{
    /// <summary>Pub/sub channel on which a cancel request names the job to every worker.</summary>
    public const string CancelChannel = "jobs:cancel";

    private readonly JobsOptions _options = options.Value;

    public RedisClient Redis => redis;

    public static string StreamKey(string jobId) => "job:" + jobId;

    public static string StateKey(string jobId) => "job:" + jobId + ":state";

    /// <summary>Creates the state and writes the queued status event; returns its id (empty when the job existed).</summary>
    public async Task<string> CreateAsync(string jobId, CancellationToken cancellationToken)
    {
        var reply = await redis.EvalAsync(JobScripts.Create, Keys(jobId), [MaxLength, StatusData(JobStatus.Queued)], cancellationToken);
        return reply[1].AsString() ?? "";
    }

    /// <summary>Starts an attempt; returns its number and event id, or how the job ended when it had.</summary>
    public async Task<(int Attempt, string EventId, JobTerminal? Ended)> StartAsync(string jobId, int deliveryAttempt, CancellationToken cancellationToken)
    {
        var reply = await redis.EvalAsync(JobScripts.Start, Keys(jobId), [MaxLength, Math.Max(1, deliveryAttempt), StatusData(JobStatus.Running)], cancellationToken);
        if (reply[0].AsInt64() == 0)
            return (0, "", JobTerminal.FromReply(reply));
        return ((int)reply[1].AsInt64(), reply[2].AsString()!, null);
    }

    /// <summary>Appends an event of <paramref name="attempt"/>.</summary>
    public async Task<AppendResult> AppendAsync(string jobId, int attempt, string type, string data, CancellationToken cancellationToken)
    {
        var reply = await redis.EvalAsync(JobScripts.Append, Keys(jobId), [MaxLength, type, attempt, data], cancellationToken);
        return reply[0].AsInt64() switch
        {
            1 => new AppendResult(AppendOutcome.Written, reply[1].AsString()),
            0 => new AppendResult(AppendOutcome.JobEnded, reply[1].AsString()),
            _ => new AppendResult(AppendOutcome.Superseded, reply[1].AsString()),
        };
    }

    /// <summary>
    /// Ends the job with <paramref name="status"/> unless it has ended already; either way returns how it
    /// ended. Null when a later attempt owns the job (<paramref name="attempt"/> is a zombie's).
    /// </summary>
    public async Task<JobTerminal?> FinishAsync(
        string jobId, int attempt, JobStatus status, string? detailType, string? detailData,
        string? errorJson, string? resultSummaryJson, CancellationToken cancellationToken)
    {
        var expiry = (long)Math.Ceiling(_options.StreamExpiry.TotalSeconds);
        var reply = await redis.EvalAsync(JobScripts.Finish, Keys(jobId),
            [MaxLength, attempt, status.ToText(), detailType ?? "", detailData ?? "", StatusData(status), expiry, errorJson ?? "", resultSummaryJson ?? ""],
            cancellationToken);
        return reply[0].AsInt64() < 0 ? null : JobTerminal.FromReply(reply);
    }

    /// <summary>The job's terminal status (null while it runs) and current attempt: what a running worker polls.</summary>
    public async Task<(string? Terminal, int Attempt)> StateAsync(string jobId, CancellationToken cancellationToken)
    {
        var values = await redis.HMGetAsync(StateKey(jobId), ["terminal", "attempt"], cancellationToken);
        return (values[0].AsString(), values[1].TryParseInt64(out var attempt) ? (int)attempt : 0);
    }

    /// <summary>How the job ended, or null while it has not (or its state has expired).</summary>
    public async Task<JobTerminal?> EndedAsync(string jobId, CancellationToken cancellationToken)
    {
        var values = await redis.HMGetAsync(StateKey(jobId), ["terminal", "terminal_id", "attempt", "error", "result"], cancellationToken);
        if (values[0].IsNull || values[1].IsNull)
            return null;
        return new JobTerminal(
            JobStatusText.Parse(values[0].ToString()),
            values[1].ToString(),
            values[2].TryParseInt64(out var attempt) ? (int)attempt : 0,
            values[3].IsNull || values[3].ToString().Length == 0 ? null : values[3].ToString(),
            values[4].IsNull || values[4].ToString().Length == 0 ? null : values[4].ToString());
    }

    /// <summary>Tells every worker to stop the job now (the state's terminal field is the fallback they poll).</summary>
    public async Task PublishCancelAsync(string jobId, CancellationToken cancellationToken) =>
        await redis.PublishAsync(CancelChannel, jobId, cancellationToken);

    /// <summary>Events strictly after <paramref name="afterId"/> (all of them for null), oldest first.</summary>
    public async Task<IReadOnlyList<JobEvent>> ReadAsync(string jobId, string? afterId, int count, CancellationToken cancellationToken)
    {
        var entries = await redis.XRangeAsync(StreamKey(jobId), afterId is null ? "-" : "(" + afterId, "+", count, cancellationToken);
        var events = new JobEvent[entries.Count];
        for (var i = 0; i < entries.Count; i++)
            events[i] = ToEvent(entries[i]);
        return events;
    }

    /// <summary>What is kept of the job's stream, or null when it does not exist (expired, or never written).</summary>
    public async Task<JobHistory?> HistoryAsync(string jobId, CancellationToken cancellationToken)
    {
        StreamInfo info;
        try
        {
            info = await redis.XInfoStreamAsync(StreamKey(jobId), cancellationToken);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var trimmed = await TrimmedThroughAsync(jobId, cancellationToken);
        // XDEL (never done here, but possible by hand) shows as the max deleted id.
        if (info.MaxDeletedEntryId is { } deleted && StreamIds.IsValid(deleted) && deleted != "0-0"
            && (trimmed is null || StreamIds.Compare(deleted, trimmed) > 0))
            trimmed = deleted;
        return new JobHistory(info.FirstEntry?.Id, info.LastGeneratedId, trimmed);
    }

    /// <summary>The last event id removed by trimming, or null when nothing was.</summary>
    public async Task<string?> TrimmedThroughAsync(string jobId, CancellationToken cancellationToken) =>
        (await redis.HGetAsync(StateKey(jobId), "trimmed", cancellationToken)).AsString();

    public static JobEvent ToEvent(StreamEntry entry) =>
        new(entry.Id, entry["type"].ToString(), AttemptOf(entry), entry["data"].ToString());

    public static int AttemptOf(StreamEntry entry) =>
        entry["attempt"].TryParseInt64(out var attempt) ? (int)attempt : 0;

    private static string StatusData(JobStatus status) => "{\"status\":\"" + status.ToText() + "\"}";

    private string MaxLength => _options.MaxEventsPerJob is { } max ? max.ToString(CultureInfo.InvariantCulture) : "0";

    private static RedisKey[] Keys(string jobId) => [StreamKey(jobId), StateKey(jobId)];
}
