using System.Diagnostics;

namespace Suite.Messaging;

// Upkeep of the group: reclaiming messages of dead consumers, and renewing the ones this consumer holds.
internal sealed partial class BusConsumer<TMessage>
{
    private async Task ClaimLoopAsync()
    {
        var stop = _stopReading.Token;
        using var timer = new PeriodicTimer(_options.ClaimInterval);
        try
        {
            do
            {
                try
                {
                    await ReclaimAsync(stop);
                    var pending = await _redis.XPendingAsync(_topic, _group, stop);
                    BusTelemetry.SetPending(_topic, _group, pending.Count);
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    BusLog.MaintenanceFailed(_logger, ex, _topic, _group);
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task ReclaimAsync(CancellationToken stop)
    {
        if (!_groupReady)
            return;
        var start = "0-0";
        var claimed = 0;
        do
        {
            var result = await _redis.XAutoClaimAsync(_topic, _group, _consumer, _options.VisibilityTimeout, start, _options.Concurrency, stop);
            foreach (var id in result.DeletedIds)
                await DeadLetterAsync(null, id, 0, DeadLetterReasons.Lost, "MessageLost",
                    "The entry was trimmed from the stream before it was acknowledged.", stop);
            // Entries this consumer still holds (their renewal was late, e.g. across a Redis restart) are already running here.
            var entries = result.Entries.Where(entry => _held.TryAdd(entry.Id, Stopwatch.GetTimestamp())).ToArray();
            if (entries.Length > 0)
            {
                // XAUTOCLAIM does not say how often an entry was delivered; the pending list does.
                int[] counts;
                try
                {
                    counts = await Task.WhenAll(entries.Select(entry => StreamCommands.DeliveryCountAsync(_redis, _topic, _group, entry.Id, stop)));
                }
                catch
                {
                    // Not started, so not held: they go idle again and the next round claims them.
                    foreach (var entry in entries)
                        _held.TryRemove(entry.Id, out _);
                    throw;
                }
                for (var i = 0; i < entries.Length; i++)
                {
                    if (counts[i] > 0)
                        Start(entries[i], counts[i]);
                    else
                        _held.TryRemove(entries[i].Id, out _);
                }
                claimed += entries.Length;
                BusTelemetry.Reclaimed.Add(entries.Length, _tags);
            }
            start = result.NextStartId;
        }
        // Take no more than a round of slots' worth per interval, so a backlog is shared with the other consumers.
        while (start != "0-0" && claimed < _options.Concurrency && !stop.IsCancellationRequested);
        if (claimed > 0)
            BusLog.Reclaimed(_logger, claimed, _topic, _options.VisibilityTimeout, _group);
    }

    private async Task RenewLoopAsync()
    {
        // Renewing every quarter of the timeout keeps idle times under about half of it, with room for a late tick.
        var visibility = _options.VisibilityTimeout;
        var period = TimeSpan.FromTicks(Math.Max(visibility.Ticks / 4, TimeSpan.FromMilliseconds(20).Ticks));
        using var timer = new PeriodicTimer(period);
        var stop = _stopRenewing.Token;
        var due = new List<string>();
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                due.Clear();
                try
                {
                    foreach (var (id, touched) in _held)
                    {
                        var idle = Stopwatch.GetElapsedTime(touched);
                        if (idle < period)
                            continue;
                        if (idle < visibility)
                        {
                            due.Add(id);
                            continue;
                        }
                        // Renewal came late (Redis was away): another consumer may have reclaimed it, which reset its
                        // idle time. The min-idle guard then makes this claim fail instead of taking it back.
                        await RenewAsync([id], idle - visibility / 2, stop);
                    }
                    if (due.Count > 0)
                        await RenewAsync(due, TimeSpan.Zero, stop);
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    BusLog.MaintenanceFailed(_logger, ex, _topic, _group);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task RenewAsync(IReadOnlyList<string> ids, TimeSpan minIdle, CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var id in await StreamCommands.RenewAsync(_redis, _topic, _group, _consumer, ids, minIdle, cancellationToken))
        {
            if (_held.TryGetValue(id, out var touched))
                _held.TryUpdate(id, now, touched);
        }
    }
}
