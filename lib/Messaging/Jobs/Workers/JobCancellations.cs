using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Suite.Redis;

namespace Suite.Messaging;

/// <summary>
/// Delivers cancel requests to the jobs running in this process: one subscription to the
/// <c>jobs:cancel</c> channel, made when the first job starts, fires the token of the job it names.
/// Pub/sub drops messages sent while the subscriber is disconnected; <see cref="JobWorker{THandler}"/>
/// also polls the job's state, so a lost message only delays the cancel.
/// </summary>
internal sealed partial class JobCancellations(RedisClient redis, ILogger<JobCancellations> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<CancellationTokenSource, string> _running = new();
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private RedisSubscription? _subscription;

    /// <summary>Fires <paramref name="stop"/> when a cancel for <paramref name="jobId"/> is published, until disposed.</summary>
    public async Task<IDisposable> WatchAsync(string jobId, CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        await EnsureSubscribedAsync(cancellationToken);
        _running[stop] = jobId;
        return new Registration(this, stop);
    }

    public async ValueTask DisposeAsync()
    {
        if (_subscription is { } subscription)
            await subscription.DisposeAsync();
        _subscribing.Dispose();
    }

    private async Task EnsureSubscribedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _subscription) is not null)
            return;
        await _subscribing.WaitAsync(cancellationToken);
        try
        {
            _subscription ??= await redis.SubscribeAsync(JobStreams.CancelChannel, OnCancel, cancellationToken);
        }
        finally
        {
            _subscribing.Release();
        }
    }

    private void OnCancel(RedisMessage message)
    {
        var jobId = message.Payload.ToString();
        // Few jobs run at once in one process; a scan is cheaper than keeping an index in step.
        foreach (var (stop, id) in _running)
        {
            if (id != jobId)
                continue;
            LogCancelling(logger, jobId);
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The job finished between the lookup and the cancel.
            }
        }
    }

    private sealed class Registration(JobCancellations owner, CancellationTokenSource stop) : IDisposable
    {
        public void Dispose() => owner._running.TryRemove(stop, out _);
    }

    [LoggerMessage(LogLevel.Information, "Cancelling job {JobId} on request")]
    private static partial void LogCancelling(ILogger logger, string jobId);
}
