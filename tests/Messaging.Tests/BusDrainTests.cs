using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Suite.ServiceDefaults;
using Suite.Testing;

namespace Suite.Messaging.Tests;

public sealed class BusDrainTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Stopping_lets_in_flight_handlers_finish_and_acknowledges_them()
    {
        var server = await TestServers.RedisAsync();
        var topic = TestServers.KeyPrefix() + "drain";
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var bus = new RedisMessageBus(redis);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        var finished = 0;
        using var host = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "g",
            async (_, _) =>
            {
                Interlocked.Increment(ref started);
                await gate.Task;
                Interlocked.Increment(ref finished);
            },
            o => o.Concurrency = 2);
        await bus.PublishAsync(topic, new BusOrder(1, "a"));
        await bus.PublishAsync(topic, new BusOrder(2, "b"));
        await Eventually.Until(() => Volatile.Read(ref started) == 2, Timeout, "both handlers run");

        var stopping = host.StopAsync();
        Assert.False(stopping.IsCompleted);
        gate.SetResult();
        await stopping.WaitAsync(Timeout);

        Assert.Equal(2, finished);
        Assert.Equal(0, await BusTestHost.PendingAsync(redis, topic, "g"));
    }

    [Fact]
    public async Task Handlers_still_running_after_the_drain_timeout_are_cancelled_and_their_messages_stay_pending()
    {
        var server = await TestServers.RedisAsync();
        var topic = TestServers.KeyPrefix() + "drain-timeout";
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var bus = new RedisMessageBus(redis);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = false;
        using var host = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "g",
            async (_, ct) =>
            {
                started.TrySetResult();
                try
                {
                    await Task.Delay(System.Threading.Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    cancelled = true;
                    throw;
                }
            },
            o => o.DrainTimeout = TimeSpan.FromMilliseconds(200));
        await bus.PublishAsync(topic, new BusOrder(1, "too long"));
        await started.Task.WaitAsync(Timeout);

        await host.StopAsync().WaitAsync(Timeout);

        Assert.True(cancelled);
        var pending = await redis.XPendingMessagesAsync(topic, "g", 10);
        Assert.Single(pending);
        Assert.Equal(1, pending[0].DeliveryCount);
        Assert.Empty(await redis.XRangeAsync(topic + ":dead"));
    }

    [Fact]
    public async Task A_service_drain_stops_taking_messages_and_waits_for_running_handlers()
    {
        var server = await TestServers.RedisAsync();
        var topic = TestServers.KeyPrefix() + "service-drain";
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var bus = new RedisMessageBus(redis);
        var drain = new DrainState();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = new ConcurrentBag<int>();
        var running = 0;
        using var host = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "g",
            async (context, _) =>
            {
                Interlocked.Increment(ref running);
                await gate.Task;
                handled.Add(context.Message.Number);
            },
            drain: drain);
        await bus.PublishAsync(topic, new BusOrder(1, "in flight"));
        await Eventually.Until(() => Volatile.Read(ref running) == 1, Timeout, "the first message is being handled");
        Assert.Equal(1, drain.InFlight);

        drain.BeginDrain();
        var idle = drain.WhenIdleAsync();
        Assert.False(idle.IsCompleted);
        await bus.PublishAsync(topic, new BusOrder(2, "after the drain began"));
        gate.SetResult();
        await idle.WaitAsync(Timeout);
        await host.StopAsync().WaitAsync(Timeout);

        // The second message was not taken up: it waits, unacknowledged, for another consumer.
        Assert.Equal([1], handled.ToArray());
        Assert.Equal(2, await redis.XLenAsync(topic));
    }
}
