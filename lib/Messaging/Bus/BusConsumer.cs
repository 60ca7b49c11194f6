using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Suite.Redis;
using Suite.ServiceDefaults;

namespace Suite.Messaging;

/// <summary>
/// One consumer of a consumer group, hosted. Three loops: reading new messages (XREADGROUP … BLOCK, as
/// many as there are free handler slots), reclaiming messages of dead consumers (XAUTOCLAIM past the
/// visibility timeout, every claim interval), and renewing the messages it is still working on (XCLAIM
/// JUSTID) so that slow handlers are not reclaimed from under it. Handlers run at most
/// <see cref="BusConsumerOptions.Concurrency"/> at once; acks go out in batches (<see cref="AckBatcher"/>).
/// On stop (or when <see cref="DrainState"/> begins a drain) it stops reading, gives running handlers
/// <see cref="BusConsumerOptions.DrainTimeout"/>, then cancels them; what did not finish stays pending.
/// </summary>
internal sealed partial class BusConsumer<TMessage> : IHostedService, IAsyncDisposable
{
    private readonly RedisClient _redis;
    private readonly string _topic;
    private readonly string _deadTopic;
    private readonly string _group;
    private readonly string _consumer;
    private readonly BusConsumerOptions _options;
    private readonly MessageBusOptions _busOptions;
    private readonly Func<MessageContext<TMessage>, CancellationToken, Task> _handle;
    private readonly ILogger _logger;
    private readonly DrainState? _drain;
    private readonly IDeadLetterObserver[] _deadLetterObservers;
    private readonly KeyValuePair<string, object?>[] _tags;

    private readonly SemaphoreSlim _slots;
    // Messages held (running, waiting for a slot or for a retry), by stream id, with when their idle time was last reset.
    private readonly ConcurrentDictionary<string, long> _held = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopReading = new();
    private readonly CancellationTokenSource _abortHandlers = new();
    private readonly CancellationTokenSource _stopRenewing = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly AckBatcher _acks;
    private CancellationTokenRegistration _drainRegistration;
    private Task _readLoop = Task.CompletedTask;
    private Task _claimLoop = Task.CompletedTask;
    private Task _renewLoop = Task.CompletedTask;
    private volatile bool _groupReady;
    private int _running;
    private int _stopped;

    public BusConsumer(
        RedisClient redis, string topic, string group, BusConsumerOptions options, MessageBusOptions busOptions,
        Func<MessageContext<TMessage>, CancellationToken, Task> handle, ILogger? logger = null, DrainState? drain = null,
        IEnumerable<IDeadLetterObserver>? deadLetterObservers = null)
    {
        options.Validate();
        _redis = redis;
        _topic = topic;
        _deadTopic = topic + ":dead";
        _group = group;
        _consumer = string.IsNullOrWhiteSpace(options.Consumer) ? ConsumerNames.Next() : options.Consumer;
        _options = options;
        _busOptions = busOptions;
        _handle = handle;
        _logger = logger ?? NullLogger.Instance;
        _drain = drain;
        _deadLetterObservers = deadLetterObservers?.ToArray() ?? [];
        _tags = [new(BusTelemetry.TopicTag, topic), new(BusTelemetry.GroupTag, group)];
        _slots = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        _acks = new AckBatcher(redis, topic, group, _logger);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureGroupAsync(cancellationToken);
        }
        catch (RedisException ex)
        {
            // Start anyway: the read loop keeps trying, so a service does not fail to start while Redis restarts.
            BusLog.RedisUnavailable(_logger, ex, _consumer, _topic);
        }
        if (_drain is not null)
            _drainRegistration = _drain.Draining.Register(static state => ((CancellationTokenSource)state!).Cancel(), _stopReading);
        _readLoop = Task.Run(ReadLoopAsync, CancellationToken.None);
        _claimLoop = Task.Run(ClaimLoopAsync, CancellationToken.None);
        _renewLoop = Task.Run(RenewLoopAsync, CancellationToken.None);
        BusLog.Started(_logger, _consumer, _group, _topic, _options.Concurrency);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        await _stopReading.CancelAsync();
        await _drainRegistration.DisposeAsync();
        await Task.WhenAll(_readLoop, _claimLoop);
        if (Volatile.Read(ref _running) == 0)
            _idle.TrySetResult();

        try
        {
            await _idle.Task.WaitAsync(_options.DrainTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            BusLog.DrainTimedOut(_logger, _options.DrainTimeout, Volatile.Read(ref _running), _topic);
            await _abortHandlers.CancelAsync();
            // Handlers that honour the token return at once; one that ignores it is left behind, unacked.
            await _idle.Task.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        await _acks.CompleteAsync(TimeSpan.FromSeconds(5));
        await _stopRenewing.CancelAsync();
        await _renewLoop;
        BusTelemetry.ForgetPending(_topic, _group);
        BusLog.Stopped(_logger, _consumer, _group, _topic, _held.Count);
    }

    // The token sources are not disposed: a handler left behind after the drain timeout may still read them.
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private async Task EnsureGroupAsync(CancellationToken cancellationToken)
    {
        await _redis.XGroupCreateAsync(_topic, _group, _options.StartFromBeginning ? "0" : "$", createStream: true, cancellationToken);
        _groupReady = true;
    }

    private async Task ReadLoopAsync()
    {
        var stop = _stopReading.Token;
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!_groupReady)
                    await EnsureGroupAsync(stop);
                // Read only as many messages as there are free slots, so none wait here long enough to be reclaimed.
                await _slots.WaitAsync(stop);
                _slots.Release();
                var count = Math.Max(1, _slots.CurrentCount);
                var entries = await _redis.XReadGroupAsync(_group, _consumer, _topic, ">", count, _options.BlockTime, cancellationToken: stop);
                failures = 0;
                foreach (var entry in entries)
                    Start(entry, attempt: 1);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (RedisServerException ex) when (ex.ErrorCode == "NOGROUP")
            {
                // The stream or group is gone (deleted, or Redis lost its data): create it again.
                _groupReady = false;
                if (!await DelayAfterFailureAsync(ex, ++failures, stop))
                    break;
            }
            catch (Exception ex)
            {
                // Whatever went wrong, the loop must not end while the consumer runs: it would stop taking work silently.
                if (!await DelayAfterFailureAsync(ex, ++failures, stop))
                    break;
            }
        }
    }

    private async Task<bool> DelayAfterFailureAsync(Exception exception, int failures, CancellationToken stop)
    {
        if (failures == 1)
            BusLog.RedisUnavailable(_logger, exception, _consumer, _topic);
        var delay = TimeSpan.FromMilliseconds(Math.Min(50 * Math.Pow(2, Math.Min(failures - 1, 10)), 2000));
        try
        {
            await Task.Delay(delay, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
