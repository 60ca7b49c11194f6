using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Suite.Redis;

namespace Suite.Messaging;

/// <summary>
/// Acknowledges handled messages in batches: one XACK in flight at a time carries every id that finished
/// meanwhile, so an idle consumer acks each message at once and a busy one sends few, large XACKs.
/// Acks that fail (Redis restarting) are retried until they succeed or the consumer has stopped.
/// </summary>
internal sealed class AckBatcher
{
    private const int MaxBatch = 1024;

    private readonly RedisClient _redis;
    private readonly string _topic;
    private readonly string _group;
    private readonly ILogger _logger;
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly Channel<string> _ids = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _giveUp = new();
    private readonly Task _loop;

    public AckBatcher(RedisClient redis, string topic, string group, ILogger logger)
    {
        _redis = redis;
        _topic = topic;
        _group = group;
        _logger = logger;
        _tags = [new(BusTelemetry.TopicTag, topic), new(BusTelemetry.GroupTag, group)];
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues an ack; false once the batcher has completed (the message then stays pending).</summary>
    public bool Enqueue(string streamId) => _ids.Writer.TryWrite(streamId);

    /// <summary>Sends what is queued, waiting at most <paramref name="timeout"/>; what is left unsent stays pending.</summary>
    public async Task CompleteAsync(TimeSpan timeout)
    {
        _ids.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await _giveUp.CancelAsync();
            await _loop;
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<string>(64);
        var reader = _ids.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var id))
                batch.Add(id);
            await SendAsync(batch);
            batch.Clear();
        }
    }

    private async Task SendAsync(List<string> batch)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                var acked = await _redis.XAckAsync(_topic, _group, CollectionsMarshal.AsSpan(batch), _giveUp.Token);
                BusTelemetry.Acked.Add(acked, _tags);
                return;
            }
            catch (OperationCanceledException) when (_giveUp.IsCancellationRequested)
            {
                BusLog.AcksAbandoned(_logger, batch.Count, _topic, _group);
                return;
            }
            catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
            {
                BusLog.AckFailed(_logger, ex, batch.Count, _topic, _group);
                if (ex is ObjectDisposedException)
                    return;
                try
                {
                    await Task.Delay(delay, _giveUp.Token);
                }
                catch (OperationCanceledException)
                {
                    BusLog.AcksAbandoned(_logger, batch.Count, _topic, _group);
                    return;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }
}
