using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Suite.Redis;
using Suite.Testing;

namespace Suite.Messaging.Tests;

public sealed class BusDeadLetterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_poison_message_is_dead_lettered_after_max_deliveries_while_others_keep_flowing()
    {
        var server = await TestServers.RedisAsync();
        var topic = TestServers.KeyPrefix() + "jobs";
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var bus = new RedisMessageBus(redis);
        var poisonAttempts = new ConcurrentQueue<int>();
        var good = new ConcurrentDictionary<int, bool>();
        using var host = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "workers",
            (context, _) =>
            {
                if (context.Message.Item == "poison")
                {
                    poisonAttempts.Enqueue(context.Attempt);
                    throw new InvalidOperationException($"cannot handle order {context.Message.Number}");
                }
                good[context.Message.Number] = true;
                return Task.CompletedTask;
            },
            o => { o.MaxDeliveries = 3; o.Concurrency = 2; });

        var poisonId = await bus.PublishAsync(topic, new BusOrder(0, "poison"));
        for (var i = 1; i <= 40; i++)
            await bus.PublishAsync(topic, new BusOrder(i, "fine"));

        await Eventually.Until(() => good.Count == 40, Timeout, "the other 40 messages are handled");
        var dead = await WaitForDeadLettersAsync(redis, topic, 1);
        Assert.Equal([1, 2, 3], poisonAttempts.ToArray());
        var entry = dead[0];
        Assert.Equal(DeadLetterReasons.Failed, entry["dead.reason"].AsString());
        Assert.Equal(typeof(InvalidOperationException).FullName, entry["dead.error.type"].AsString());
        Assert.Equal("cannot handle order 0", entry["dead.error.message"].AsString());
        Assert.Equal("workers", entry["dead.group"].AsString());
        Assert.Equal(3, entry["dead.attempts"].ToInt64());
        Assert.Equal(poisonId, entry["id"].AsString());
        Assert.Contains("poison", entry["data"].AsString());
        var original = entry["dead.original_id"].AsString()!;
        Assert.Single(await redis.XRangeAsync(topic, original, original));
        await Eventually.Until(async () => await BusTestHost.PendingAsync(redis, topic, "workers") == 0, Timeout, "the poison message is acknowledged too");
        await host.StopAsync();
    }

    [Fact]
    public async Task An_entry_that_is_not_a_bus_message_is_dead_lettered_at_once()
    {
        var server = await TestServers.RedisAsync();
        var topic = TestServers.KeyPrefix() + "mixed";
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var calls = 0;
        using var host = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "strict",
            (_, _) => { Interlocked.Increment(ref calls); return Task.CompletedTask; });

        await redis.XAddAsync(topic, [new("data", "{ not json")]);
        await redis.XAddAsync(topic, [new("something", "else")]);

        var dead = await WaitForDeadLettersAsync(redis, topic, 2);
        Assert.All(dead, entry => Assert.Equal(DeadLetterReasons.Malformed, entry["dead.reason"].AsString()));
        Assert.Equal(0, calls);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_pending_entry_trimmed_away_is_counted_and_dead_lettered_as_lost()
    {
        var server = await TestServers.RedisAsync();
        var topic = TestServers.KeyPrefix() + "trimmed";
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var bus = new RedisMessageBus(redis);
        await redis.XGroupCreateAsync(topic, "slow", "0");
        await bus.PublishAsync(topic, new BusOrder(1, "will be trimmed"));
        // A consumer takes it and dies; then the stream is trimmed past it.
        var taken = await redis.XReadGroupAsync("slow", "ghost", topic, ">", count: 1);
        Assert.Single(taken);
        await redis.XAddAsync(topic, [new("id", "newer"), new("data", "{\"number\":2,\"item\":\"newer\"}")]);
        await redis.XTrimAsync(topic, 1, approximate: false);

        var handled = new ConcurrentBag<int>();
        using var host = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "slow",
            (context, _) => { handled.Add(context.Message.Number); return Task.CompletedTask; },
            o => { o.VisibilityTimeout = TimeSpan.FromMilliseconds(100); o.ClaimInterval = TimeSpan.FromMilliseconds(100); });

        var dead = await WaitForDeadLettersAsync(redis, topic, 1);
        Assert.Equal(DeadLetterReasons.Lost, dead[0]["dead.reason"].AsString());
        Assert.Equal(taken[0].Id, dead[0]["dead.original_id"].AsString());
        await Eventually.Until(() => handled.Contains(2), Timeout, "the entry that was kept is handled");
        await Eventually.Until(async () => await BusTestHost.PendingAsync(redis, topic, "slow") == 0, Timeout, "nothing stays pending");
        await host.StopAsync();
    }

    [Fact]
    public async Task A_message_whose_consumers_keep_dying_is_dead_lettered_when_reclaimed_past_the_limit()
    {
        var server = await TestServers.RedisAsync();
        var topic = TestServers.KeyPrefix() + "crashing";
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var bus = new RedisMessageBus(redis);
        await redis.XGroupCreateAsync(topic, "g", "0");
        var id = await bus.PublishAsync(topic, new BusOrder(1, "kills its consumer"));
        // Three consumers took it and died: delivered three times, never acknowledged.
        var entry = Assert.Single(await redis.XReadGroupAsync("g", "crashed-1", topic, ">"));
        await redis.ExecuteAsync("XCLAIM", topic, "g", "crashed-2", 0, entry.Id);
        await redis.ExecuteAsync("XCLAIM", topic, "g", "crashed-3", 0, entry.Id);

        var calls = 0;
        using var host = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "g",
            (_, _) => { Interlocked.Increment(ref calls); return Task.CompletedTask; },
            o =>
            {
                o.MaxDeliveries = 3;
                o.VisibilityTimeout = TimeSpan.FromMilliseconds(100);
                o.ClaimInterval = TimeSpan.FromMilliseconds(100);
            });

        var dead = await WaitForDeadLettersAsync(redis, topic, 1);
        Assert.Equal(DeadLetterReasons.Limit, dead[0]["dead.reason"].AsString());
        Assert.Equal(3, dead[0]["dead.attempts"].ToInt64());
        Assert.Equal(id, dead[0]["id"].AsString());
        Assert.Equal(0, calls);
        Assert.Equal(0, await BusTestHost.PendingAsync(redis, topic, "g"));
        await host.StopAsync();
    }

    private static async Task<IReadOnlyList<StreamEntry>> WaitForDeadLettersAsync(RedisClient redis, string topic, int count)
    {
        IReadOnlyList<StreamEntry> dead = [];
        await Eventually.Until(async () => (dead = await redis.XRangeAsync(topic + ":dead")).Count >= count, Timeout,
            $"{count} dead letters are written");
        Assert.Equal(count, dead.Count);
        return dead;
    }
}
