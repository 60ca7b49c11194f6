using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Suite.Redis;
using Suite.ServiceDefaults;

namespace Suite.Messaging;

/// <summary>
/// The SSE response of <c>GET /v1/jobs/{id}/events</c>: replays the job's stream after the resume point,
/// page by page, then follows it live through the shared <see cref="JobStreamFollower"/>, and ends after
/// the terminal status event. Back-pressure: the next page is read only after the previous one was
/// flushed to the client, so a slow client holds one page and the socket's buffers, and never slows the
/// producer (which only writes to Redis).
/// </summary>
public sealed partial class JobEventsResult : IResult
{
    private readonly string _jobId;
    private readonly string? _after;
    private readonly bool _endedAtConnect;
    private readonly string? _trimmedBefore;

    internal JobEventsResult(string jobId, string? after, bool endedAtConnect, string? trimmedBefore)
    {
        _jobId = jobId;
        _after = after;
        _endedAtConnect = endedAtConnect;
        _trimmedBefore = trimmedBefore;
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var services = httpContext.RequestServices;
        var options = services.GetRequiredService<IOptions<JobsOptions>>().Value;
        var metrics = services.GetRequiredService<JobMetrics>();
        var logger = services.GetRequiredService<ILogger<JobEventsResult>>();

        var response = httpContext.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // A draining or stopping instance ends its streams so that clients resume on another replica.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(
            httpContext.RequestAborted,
            services.GetService<DrainState>()?.Draining ?? CancellationToken.None,
            services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None);
        metrics.Connections.Add(1);
        try
        {
            var stream = new Streaming(this, services.GetRequiredService<JobStore>().Streams, services.GetRequiredService<JobStreamFollower>(),
                options, metrics, response.BodyWriter, ending.Token);
            await stream.RunAsync();
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            // The client left, or this instance is stopping.
        }
        catch (Exception ex) when (ex is RedisException or IOException)
        {
            // Nothing can be said in the middle of a stream; the client reconnects with Last-Event-ID.
            LogStreamFailed(logger, ex, _jobId);
        }
        finally
        {
            metrics.Connections.Add(-1);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Streaming the events of job {JobId} failed")]
    private static partial void LogStreamFailed(ILogger logger, Exception exception, string jobId);

    /// <summary>One client's walk along the stream.</summary>
    private sealed class Streaming(
        JobEventsResult result, JobStreams streams, JobStreamFollower follower, JobsOptions options, JobMetrics metrics,
        PipeWriter writer, CancellationToken cancellationToken)
    {
        private readonly string _key = JobStreams.StreamKey(result._jobId);
        private string _position = result._after ?? "0-0";

        public async Task RunAsync()
        {
            if (result._trimmedBefore is { } first)
                SseFrames.WriteComment(writer, $"older events were trimmed; the history kept starts at {first}");
            // Sends the headers now: a client sees the stream open before the first event.
            if (!await FlushAsync())
                return;

            JobStreamFollower.Subscription? subscription = null;
            try
            {
                while (true)
                {
                    var page = await streams.Redis.XRangeAsync(_key, "(" + _position, "+", options.EventPageSize, cancellationToken);
                    if (page.Count > 0)
                    {
                        if (await WriteAsync(page) is not Progress.More)
                            return;
                        if (page.Count == options.EventPageSize)
                            continue;
                    }
                    else if (result._endedAtConnect)
                    {
                        return; // Resumed after the terminal event: nothing more will come.
                    }

                    // Caught up: follow live.
                    subscription ??= follower.Subscribe(result._jobId, _position);
                    if (await FollowAsync(subscription) is not Progress.More)
                        return;
                }
            }
            finally
            {
                subscription?.Dispose();
            }
        }

        /// <summary>Writes what the follower hands over until the client must read Redis itself.</summary>
        private async Task<Progress> FollowAsync(JobStreamFollower.Subscription subscription)
        {
            while (true)
            {
                var batch = await subscription.WaitAsync(_position, options.KeepAliveInterval, cancellationToken);
                if (batch is null)
                {
                    SseFrames.WriteKeepAlive(writer);
                    if (!await FlushAsync())
                        return Progress.Ended;
                    // Also a fallback when the follower cannot read: look at Redis once per keep-alive.
                    return Progress.More;
                }
                if (batch.After != _position)
                    return Progress.More;
                var progress = await WriteAsync(batch.Entries);
                if (progress is not Progress.More || batch.Entries.Count >= JobStreamFollower.ReadCount)
                    return progress;
            }
        }

        private async Task<Progress> WriteAsync(IReadOnlyList<StreamEntry> entries)
        {
            if (options.MaxEventsPerJob is not null && await GapAfterPositionAsync())
            {
                // Never skip silently: end the stream; resuming from here answers 410 and says why.
                SseFrames.WriteComment(writer, $"events after {_position} were trimmed; reconnect to learn more");
                await FlushAsync();
                return Progress.Gap;
            }
            var ended = false;
            var written = 0;
            foreach (var entry in entries)
            {
                ended = SseFrames.WriteEvent(writer, entry);
                _position = entry.Id;
                written++;
                if (ended)
                    break;
            }
            metrics.EventsSent.Add(written);
            // Waits while the client is slow (the pipe is full): this is the back-pressure.
            if (!await FlushAsync())
                return Progress.Ended;
            return ended ? Progress.Ended : Progress.More;
        }

        /// <summary>False once the client has gone (the pipe is completed).</summary>
        private async Task<bool> FlushAsync()
        {
            var flushed = await writer.FlushAsync(cancellationToken);
            return !flushed.IsCompleted && !flushed.IsCanceled;
        }

        /// <summary>True when entries after the position were trimmed away before this client got them.</summary>
        private async Task<bool> GapAfterPositionAsync()
        {
            if (_position == "0-0")
                return false;
            var trimmed = await streams.TrimmedThroughAsync(result._jobId, cancellationToken);
            return trimmed is not null && StreamIds.Compare(trimmed, _position) > 0;
        }
    }

    private enum Progress
    {
        More,
        Ended,
        Gap,
    }
}
