using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Suite.Testing;

namespace Suite.Messaging.Tests;

public sealed class BusReclaimTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_message_held_by_a_consumer_that_died_is_reclaimed_and_finished_by_another()
    {
        var server = await TestServers.RedisAsync();
        var topic = TestServers.KeyPrefix() + "reclaim";
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var bus = new RedisMessageBus(redis);
        var started = new TaskCompletionSource<MessageContext<BusOrder>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var dying = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "workers",
            async (context, ct) =>
            {
                started.TrySetResult(context);
                await Task.Delay(System.Threading.Timeout.Infinite, ct); // never finishes on its own
            },
            o => { o.Consumer = "dying"; o.DrainTimeout = TimeSpan.Zero; });

        var id = await bus.PublishAsync(topic, new BusOrder(1, "survives its consumer"));
        var first = await started.Task.WaitAsync(Timeout);
        Assert.Equal(1, first.Attempt);
        // The consumer goes away mid-handling without acking (its handler is still stuck).
        await dying.StopAsync();
        dying.Dispose();
        Assert.Equal(1, await BusTestHost.PendingAsync(redis, topic, "workers"));

        var finished = new TaskCompletionSource<MessageContext<BusOrder>>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var rescuer = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "workers",
            (context, _) => { finished.TrySetResult(context); return Task.CompletedTask; },
            o =>
            {
                o.Consumer = "rescuer";
                o.VisibilityTimeout = TimeSpan.FromMilliseconds(300);
                o.ClaimInterval = TimeSpan.FromMilliseconds(100);
            });

        var second = await finished.Task.WaitAsync(Timeout);
        Assert.Equal((id, "rescuer", 2), (second.MessageId, second.Consumer, second.Attempt));
        await Eventually.Until(async () => await BusTestHost.PendingAsync(redis, topic, "workers") == 0, Timeout, "the reclaimed message is acknowledged");
        await rescuer.StopAsync();
    }

    [Fact]
    public async Task A_slow_handler_keeps_its_message_while_its_consumer_lives()
    {
        var server = await TestServers.RedisAsync();
        var topic = TestServers.KeyPrefix() + "slow";
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var bus = new RedisMessageBus(redis);
        var deliveries = new ConcurrentQueue<string>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var visibility = TimeSpan.FromSeconds(1);
        Action<BusConsumerOptions> shortLease = o =>
        {
            o.VisibilityTimeout = visibility;
            o.ClaimInterval = TimeSpan.FromMilliseconds(50);
        };
        Func<MessageContext<BusOrder>, CancellationToken, Task> slow = async (context, ct) =>
        {
            deliveries.Enqueue(context.Consumer);
            await release.Task.WaitAsync(ct);
        };
        using var one = await BusTestHost.StartConsumerAsync(server.ConnectionString, topic, "g", slow, shortLease);
        using var two = await BusTestHost.StartConsumerAsync(server.ConnectionString, topic, "g", slow, shortLease);

        await bus.PublishAsync(topic, new BusOrder(1, "long generation"));
        await Eventually.Until(() => !deliveries.IsEmpty, Timeout, "a consumer starts the message");
        // The handler outlives three visibility timeouts: only its consumer's renewals keep the other one,
        // which looks every 50 ms, from reclaiming it. This waits for time to pass, on purpose.
        var running = Stopwatch.StartNew();
        var longestIdle = TimeSpan.Zero;
        await Eventually.Until(async () =>
        {
            foreach (var entry in await redis.XPendingMessagesAsync(topic, "g", 10))
                longestIdle = entry.Idle > longestIdle ? entry.Idle : longestIdle;
            return running.Elapsed > 3 * visibility;
        }, Timeout, "three visibility timeouts pass");
        release.SetResult();
        Assert.True(longestIdle < visibility, $"the entry was renewed before it went idle (longest idle {longestIdle})");

        await Eventually.Until(async () => await BusTestHost.PendingAsync(redis, topic, "g") == 0, Timeout, "the message is acknowledged");
        Assert.Single(deliveries);
        await Task.WhenAll(one.StopAsync(), two.StopAsync());
    }
}
