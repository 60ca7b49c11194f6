using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Suite.Testing;

namespace Suite.Messaging.Tests;

public sealed class BusDeliveryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Published_messages_are_handled_and_acknowledged()
    {
        var server = await TestServers.RedisAsync();
        var topic = TestServers.KeyPrefix() + "orders";
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var bus = new RedisMessageBus(redis);
        var handled = new ConcurrentDictionary<string, MessageContext<BusOrder>>();
        using var host = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "billing",
            (context, _) => { handled[context.MessageId] = context; return Task.CompletedTask; });

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
            ids.Add(await bus.PublishAsync(topic, new BusOrder(i, $"item {i}")));

        await Eventually.Until(() => handled.Count == 20, Timeout, "every message is handled");
        await Eventually.Until(async () => await BusTestHost.PendingAsync(redis, topic, "billing") == 0, Timeout, "every message is acknowledged");
        Assert.Equal(ids.Order(), handled.Keys.Order());
        var third = handled[ids[3]];
        Assert.Equal(new BusOrder(3, "item 3"), third.Message);
        Assert.Equal((topic, "billing", 1), (third.Topic, third.Group, third.Attempt));
        Assert.Equal(typeof(BusOrder).FullName, third.MessageType);
        Assert.InRange(third.EnqueuedAt, before, DateTimeOffset.UtcNow);
        Assert.False(string.IsNullOrEmpty(third.Consumer));
        var raw = Assert.Single(await redis.XRangeAsync(topic, third.StreamId, third.StreamId));
        Assert.Equal(["id", "type", "time", "data"], raw.Fields.Select(f => f.Key));
        Assert.Equal(third.EnqueuedAt.ToUnixTimeMilliseconds(), raw["time"].ToInt64());
        await host.StopAsync();
    }

    [Fact]
    public async Task Handlers_never_run_more_than_the_concurrency_limit()
    {
        var server = await TestServers.RedisAsync();
        var topic = TestServers.KeyPrefix() + "renders";
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var bus = new RedisMessageBus(redis);
        int running = 0, most = 0, done = 0;
        using var host = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "renderer",
            async (_, ct) =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                await Task.Delay(20, ct); // the work
                Interlocked.Decrement(ref running);
                Interlocked.Increment(ref done);
            },
            o => o.Concurrency = 3);

        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => bus.PublishAsync(topic, new BusOrder(i, "frame"))));

        await Eventually.Until(() => Volatile.Read(ref done) == 30, Timeout, "all 30 messages are handled");
        Assert.Equal(3, most);
        await host.StopAsync();
    }

    [Fact]
    public async Task Messages_published_before_the_first_consumer_started_are_handled()
    {
        var server = await TestServers.RedisAsync();
        var topic = TestServers.KeyPrefix() + "early";
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var bus = new RedisMessageBus(redis);
        var id = await bus.PublishAsync(topic, new BusOrder(1, "early bird"));

        var handled = new ConcurrentBag<string>();
        using var host = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "late",
            (context, _) => { handled.Add(context.MessageId); return Task.CompletedTask; });

        await Eventually.Until(() => handled.Contains(id), Timeout, "the message published before the group existed is handled");
        await host.StopAsync();
    }

    [Fact]
    public async Task Each_group_gets_every_message_and_consumers_of_one_group_share_them()
    {
        var server = await TestServers.RedisAsync();
        var topic = TestServers.KeyPrefix() + "events";
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var bus = new RedisMessageBus(redis);
        var audit = new ConcurrentBag<string>();
        var workers = new ConcurrentDictionary<string, string>();
        using var auditor = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "audit",
            (context, _) => { audit.Add(context.MessageId); return Task.CompletedTask; });
        using var first = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "work",
            (context, _) => { workers[context.MessageId] = context.Consumer; return Task.CompletedTask; });
        using var second = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "work",
            (context, _) => { workers[context.MessageId] = context.Consumer; return Task.CompletedTask; });

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => bus.PublishAsync(topic, new BusOrder(i, "x"))));

        await Eventually.Until(() => audit.Count == 50 && workers.Count == 50, Timeout, "both groups handle all 50 messages");
        Assert.Equal(50, audit.Distinct().Count());
        await Task.WhenAll(auditor.StopAsync(), first.StopAsync(), second.StopAsync());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
