using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Suite.Redis;
using Suite.Testing;

namespace Suite.Messaging.Tests;

public sealed class BusRestartTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Consumers_reconnect_after_a_redis_restart_and_no_acknowledged_message_is_lost()
    {
        // Its own server (append-only, fsync every second) since the test restarts it.
        await using var server = await TestServers.StartPrivateRedisAsync();
        var topic = "restart";
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var bus = new RedisMessageBus(redis);
        var handled = new ConcurrentDictionary<string, int>();
        Func<MessageContext<BusOrder>, CancellationToken, Task> handle = (context, _) =>
        {
            handled.AddOrUpdate(context.MessageId, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        };
        Action<BusConsumerOptions> options = o =>
        {
            o.VisibilityTimeout = TimeSpan.FromSeconds(1);
            o.ClaimInterval = TimeSpan.FromMilliseconds(200);
        };
        using var one = await BusTestHost.StartConsumerAsync(server.ConnectionString, topic, "g", handle, options);
        using var two = await BusTestHost.StartConsumerAsync(server.ConnectionString, topic, "g", handle, options);

        // Publish steadily; keep the ids Redis acknowledged. A publish that fails during the restart is not
        // acknowledged (it may or may not have been written), so only its successors count.
        var acknowledged = new ConcurrentBag<string>();
        using var stopPublishing = new CancellationTokenSource();
        var publisher = Task.Run(async () =>
        {
            for (var i = 0; !stopPublishing.IsCancellationRequested; i++)
            {
                if (i % 50 == 0)
                    await Task.Delay(5); // a steady flow, not a flood
                try
                {
                    acknowledged.Add(await bus.PublishAsync(topic, new BusOrder(i, "steady")));
                }
                catch (RedisException)
                {
                    await Task.Delay(20); // Redis is restarting; pace the retries
                }
            }
        });

        await Eventually.Until(() => handled.Count >= 200, Timeout, "messages flow before the restart");
        await server.RestartAsync();
        var afterRestart = handled.Count;
        await Eventually.Until(() => handled.Count >= afterRestart + 200, Timeout, "messages flow again after the restart");
        await stopPublishing.CancelAsync();
        await publisher;

        var expected = acknowledged.ToArray();
        await Eventually.Until(() => expected.All(handled.ContainsKey), Timeout,
            "every acknowledged message is handled");
        await Eventually.Until(async () => (await redis.XPendingAsync(topic, "g")).Count == 0, Timeout, "nothing stays pending");
        await Task.WhenAll(one.StopAsync(), two.StopAsync());
    }
}
