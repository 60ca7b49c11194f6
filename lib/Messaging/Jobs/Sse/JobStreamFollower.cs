using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Suite.Redis;

namespace Suite.Messaging;

/// <summary>
/// One blocking reader for every job stream that live SSE clients of this process wait on: a single
/// XREAD BLOCK over all of them, on one dedicated connection, whatever the number of clients. What it
/// reads is handed to the clients waiting at that position; it keeps nothing per client, so a slow client
/// costs it nothing (that client reads its backlog from Redis itself, a page at a time).
/// A private wake-up stream in the same XREAD lets a newly watched job interrupt the block at once.
/// </summary>
internal sealed partial class JobStreamFollower : IAsyncDisposable
{
    /// <summary>Most entries one XREAD takes from each stream.</summary>
    public const int ReadCount = 100;

    private static readonly TimeSpan WakeKeyExpiry = TimeSpan.FromHours(1);

    private readonly RedisClient _redis;
    private readonly JobsOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Watch> _watches = new(StringComparer.Ordinal);
    private readonly string _wakeKey = "jobs:follower:" + Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _watchAdded = NewSignal();
    private string _wakeLastId = "0-0";
    private Task? _loop;

    public JobStreamFollower(RedisClient redis, IOptions<JobsOptions> options, ILogger<JobStreamFollower> logger)
    {
        _redis = redis;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Starts following <paramref name="jobId"/>'s stream for one client now at <paramref name="position"/>.</summary>
    public Subscription Subscribe(string jobId, string position)
    {
        var key = JobStreams.StreamKey(jobId);
        Watch? watch;
        var added = false;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            if (!_watches.TryGetValue(key, out watch))
            {
                watch = new Watch(position);
                _watches[key] = watch;
                added = true;
                _watchAdded.TrySetResult();
            }
            watch.Subscribers++;
            _loop ??= Task.Run(LoopAsync);
        }
        if (added)
            _ = WakeAsync();
        return new Subscription(this, key, watch);
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
                return;
            _stopping.Cancel();
            loop = _loop;
        }
        if (loop is not null)
        {
            await loop;
            try
            {
                await _redis.DelAsync(_wakeKey);
            }
            catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
            {
                // It expires on its own.
            }
        }
        _stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        var failures = 0;
        while (!_stopping.IsCancellationRequested)
        {
            StreamPosition[] positions;
            Task? idle = null;
            lock (_gate)
            {
                if (_watches.Count == 0)
                {
                    if (_watchAdded.Task.IsCompleted)
                        _watchAdded = NewSignal();
                    idle = _watchAdded.Task;
                    positions = [];
                }
                else
                {
                    positions = new StreamPosition[_watches.Count + 1];
                    var i = 0;
                    foreach (var (key, watch) in _watches)
                        positions[i++] = new StreamPosition(key, watch.LastId);
                    positions[i] = new StreamPosition(_wakeKey, _wakeLastId);
                }
            }

            try
            {
                if (idle is not null)
                {
                    await idle.WaitAsync(_stopping.Token);
                    continue;
                }
                var results = await _redis.XReadAsync(positions, ReadCount, _options.FollowerBlockTime, _stopping.Token);
                failures = 0;
                Deliver(positions, results);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
            {
                // Clients meanwhile fall back to reading Redis on their keep-alive tick.
                failures++;
                LogReadFailed(_logger, ex, failures);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * (1 << Math.Min(failures, 6)))), _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Deliver(StreamPosition[] positions, IReadOnlyList<StreamReadResult> results)
    {
        List<(TaskCompletionSource<FollowerBatch>, FollowerBatch)>? ready = null;
        lock (_gate)
        {
            foreach (var result in results)
            {
                if (result.Entries.Count == 0)
                    continue;
                var last = result.Entries[^1].Id;
                if (result.Key == _wakeKey)
                {
                    _wakeLastId = last;
                    continue;
                }
                if (!_watches.TryGetValue(result.Key, out var watch))
                    continue;
                var after = PositionOf(positions, result.Key);
                if (StreamIds.Compare(last, watch.LastId) > 0)
                    watch.LastId = last;
                (ready ??= []).Add((watch.Next, new FollowerBatch(after, result.Entries)));
                watch.Next = NewBatchSignal();
            }
        }
        // Outside the lock, and inline: each waiting client writes the batch on this thread up to its
        // first real wait (usually the next batch), saving a thread hop per event on the live path.
        if (ready is not null)
        {
            foreach (var (waiting, batch) in ready)
                waiting.TrySetResult(batch);
        }
    }

    private static string PositionOf(StreamPosition[] positions, string key)
    {
        foreach (var position in positions)
        {
            if (position.Key.ToString() == key)
                return position.Id;
        }
        return "";
    }

    /// <summary>Interrupts a blocked XREAD so that it takes a new stream in.</summary>
    private async Task WakeAsync()
    {
        try
        {
            await _redis.XAddAsync(_wakeKey, [new("w", 1)], maxLength: 1, approximateTrim: false);
            await _redis.PExpireAsync(_wakeKey, WakeKeyExpiry);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            // The new stream is taken in when the current block ends.
            LogWakeFailed(_logger, ex);
        }
    }

    private void Unsubscribe(string key, Watch watch)
    {
        lock (_gate)
        {
            if (--watch.Subscribers == 0 && _watches.TryGetValue(key, out var current) && current == watch)
                _watches.Remove(key);
        }
    }

    private async Task<FollowerBatch?> WaitAsync(Watch watch, string position, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task<FollowerBatch> next;
        lock (_gate)
        {
            var order = StreamIds.Compare(watch.LastId, position);
            if (order > 0)
                return FollowerBatch.Behind;
            // A client caught up further than the follower has read: nothing before it matters to anyone
            // waiting (every waiter is caught up), so the follower may read on from there.
            if (order < 0)
                watch.LastId = position;
            next = watch.Next.Task;
        }
        try
        {
            return await next.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TaskCompletionSource<FollowerBatch> NewBatchSignal() => new();

    [LoggerMessage(LogLevel.Warning, "Following job streams failed ({Failures} in a row); retrying")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, int failures);

    [LoggerMessage(LogLevel.Debug, "Waking the job stream follower failed")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception);

    internal sealed class Watch(string position)
    {
        public string LastId { get; set; } = position;

        public int Subscribers { get; set; }

        public TaskCompletionSource<FollowerBatch> Next { get; set; } = NewBatchSignal();
    }

    /// <summary>One client's interest in one job stream; dispose when the client leaves.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly JobStreamFollower _owner;
        private readonly string _key;
        private readonly Watch _watch;
        private int _disposed;

        internal Subscription(JobStreamFollower owner, string key, Watch watch)
        {
            _owner = owner;
            _key = key;
            _watch = watch;
        }

        /// <summary>
        /// Waits until the stream has entries past <paramref name="position"/>: the batch the follower read
        /// (usable when its <see cref="FollowerBatch.After"/> is <paramref name="position"/>), or
        /// <see cref="FollowerBatch.Behind"/> when the client should read Redis itself. Null after
        /// <paramref name="timeout"/> with nothing new.
        /// </summary>
        public Task<FollowerBatch?> WaitAsync(string position, TimeSpan timeout, CancellationToken cancellationToken) =>
            _owner.WaitAsync(_watch, position, timeout, cancellationToken);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                _owner.Unsubscribe(_key, _watch);
        }
    }
}
