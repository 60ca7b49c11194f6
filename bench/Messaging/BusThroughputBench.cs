using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Suite.Messaging;
using Suite.Redis;

namespace Suite.Bench.Messaging;

/// <summary>
/// Messages per second through the whole bus: publish (64 concurrent publishers on one client), handle
/// (a handler that only counts, resolved from a scope as in a service) and ack, with N consumers of one
/// group, each in its own host with its own client as if in its own process. The clock runs from the first
/// publish until the group has nothing pending.
/// </summary>
internal static class BusThroughputBench
{
    private const int Publishers = 64;

    public static async Task<double> RunAsync(string connectionString, int consumers, int messages, TextWriter log)
    {
        var topic = $"bench:{Guid.NewGuid():N}";
        var counter = new HandledCounter();
        var hosts = new List<IHost>();
        for (var i = 0; i < consumers; i++)
            hosts.Add(await StartConsumerAsync(connectionString, topic, counter));
        await using var redis = new RedisClient(RedisOptions.Parse(connectionString));
        var bus = new RedisMessageBus(redis);

        var watch = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(_ => Task.Run(async () =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < messages)
                await bus.PublishAsync(topic, new BenchMessage(n, "summarize document"));
        })));
        var published = watch.Elapsed;
        await counter.WhenReached(messages).WaitAsync(TimeSpan.FromMinutes(2));
        while ((await redis.XPendingAsync(topic, "bench")).Count > 0)
            await Task.Delay(1);
        var elapsed = watch.Elapsed;

        foreach (var host in hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }
        await redis.DelAsync(topic);
        var rate = messages / elapsed.TotalSeconds;
        log.WriteLine($"bus: {consumers} consumer(s), {messages} messages: published in {published.TotalSeconds:0.00} s, handled and acked in {elapsed.TotalSeconds:0.00} s = {rate:0} msg/s");
        return rate;
    }

    private static async Task<IHost> StartConsumerAsync(string connectionString, string topic, HandledCounter counter)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(_ => new RedisClient(RedisOptions.Parse(connectionString)));
        builder.Services.AddSingleton(counter);
        builder.Services.AddBusConsumer<BenchMessage, CountingHandler>(topic, "bench", o => o.BlockTime = TimeSpan.FromMilliseconds(500));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private sealed record BenchMessage(int Number, string Text);

    private sealed class CountingHandler(HandledCounter counter) : IMessageHandler<BenchMessage>
    {
        public Task HandleAsync(MessageContext<BenchMessage> context, CancellationToken cancellationToken)
        {
            counter.Add();
            return Task.CompletedTask;
        }
    }

    private sealed class HandledCounter
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;
        private int _target = int.MaxValue;

        public void Add()
        {
            if (Interlocked.Increment(ref _count) >= Volatile.Read(ref _target))
                _reached.TrySetResult();
        }

        public Task WhenReached(int target)
        {
            Volatile.Write(ref _target, target);
            if (Volatile.Read(ref _count) >= target)
                _reached.TrySetResult();
            return _reached.Task;
        }
    }
}
