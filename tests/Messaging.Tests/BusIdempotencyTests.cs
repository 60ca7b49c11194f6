using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Suite.Testing;

namespace Suite.Messaging.Tests;

public sealed class BusIdempotencyTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_same_message_delivered_twice_has_one_side_effect()
    {
        var server = await TestServers.RedisAsync();
        var prefix = TestServers.KeyPrefix();
        var topic = prefix + "payments";
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var bus = new RedisMessageBus(redis);
        var guard = new IdempotencyGuard(redis, prefix + "idem:");
        var charges = 0;
        var deliveries = new ConcurrentBag<string>();
        using var host = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "charger",
            async (context, ct) =>
            {
                deliveries.Add(context.StreamId);
                await guard.RunOnceAsync(context.Group, context.MessageId, _ =>
                {
                    Interlocked.Increment(ref charges);
                    return Task.CompletedTask;
                }, runningTtl: TimeSpan.FromSeconds(30), doneTtl: TimeSpan.FromHours(1), ct);
            },
            o => o.Concurrency = 1);

        // A producer that retried its publish: two entries, one message id.
        await bus.PublishAsync(topic, new BusOrder(7, "charge"), "payment-7");
        await bus.PublishAsync(topic, new BusOrder(7, "charge"), "payment-7");

        await Eventually.Until(() => deliveries.Count == 2, Timeout, "both deliveries reach the handler");
        await Eventually.Until(async () => await BusTestHost.PendingAsync(redis, topic, "charger") == 0, Timeout, "both are acknowledged");
        Assert.Equal(1, charges);
        Assert.True(await guard.IsDoneAsync("charger", "payment-7"));
        await host.StopAsync();
    }

    [Fact]
    public async Task Guard_lets_a_failed_attempt_run_again_and_refuses_a_concurrent_one()
    {
        var server = await TestServers.RedisAsync();
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var guard = new IdempotencyGuard(redis, TestServers.KeyPrefix());

        await Assert.ThrowsAsync<InvalidOperationException>(() => guard.RunOnceAsync("g", "m1",
            _ => throw new InvalidOperationException("side effect failed"), TimeSpan.FromSeconds(30), TimeSpan.FromHours(1)));
        Assert.False(await guard.IsDoneAsync("g", "m1"));

        Assert.True(await guard.TryBeginAsync("g", "m1", TimeSpan.FromSeconds(30)));
        var conflict = await Assert.ThrowsAsync<MessageInProgressException>(() => guard.TryBeginAsync("g", "m1", TimeSpan.FromSeconds(30)));
        Assert.Equal("m1", conflict.MessageId);
        await guard.MarkDoneAsync("g", "m1", TimeSpan.FromHours(1));
        Assert.False(await guard.TryBeginAsync("g", "m1", TimeSpan.FromSeconds(30)));
        // Markers are per group: another group does the work too.
        Assert.True(await guard.TryBeginAsync("other", "m1", TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task AddMessageBus_registers_the_bus_and_the_guard()
    {
        var server = await TestServers.RedisAsync();
        var topic = TestServers.KeyPrefix() + "di";
        var handled = new ConcurrentBag<string>();
        using var host = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "di",
            (context, _) => { handled.Add(context.MessageId); return Task.CompletedTask; });

        var bus = host.Services.GetRequiredService<IMessageBus>();
        Assert.NotNull(host.Services.GetRequiredService<IdempotencyGuard>());
        var id = await bus.PublishAsync(topic, new BusOrder(1, "via DI"));

        await Eventually.Until(() => handled.Contains(id), Timeout, "the message published through DI is handled");
        await host.StopAsync();
    }
}
