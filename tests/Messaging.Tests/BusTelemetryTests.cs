using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Suite.Testing;

namespace Suite.Messaging.Tests;

public sealed class BusTelemetryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly ActivitySource TestSource = new("Suite.Messaging.Tests");

    [Fact]
    public async Task The_process_span_continues_the_producers_trace_and_links_to_its_span()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Suite.Messaging" or "Suite.Messaging.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var server = await TestServers.RedisAsync();
        var topic = TestServers.KeyPrefix() + "traced";
        await using var redis = BusTestHost.Client(server.ConnectionString);
        var bus = new RedisMessageBus(redis);
        var seen = new TaskCompletionSource<(MessageContext<BusOrder> Context, Activity? Current)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "g",
            (context, _) => { seen.TrySetResult((context, Activity.Current)); return Task.CompletedTask; });

        using (var request = TestSource.StartActivity("incoming request"))
        {
            request!.TraceStateString = "vendor=1";
            await bus.PublishAsync(topic, new BusOrder(1, "traced"));
        }
        var (context, current) = await seen.Task.WaitAsync(Timeout);

        var publish = Assert.Single(spans, s => s.DisplayName == $"publish {topic}");
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal(publish.Context.TraceId, context.ActivityContext.TraceId);
        Assert.Equal(publish.Context.SpanId, context.ActivityContext.SpanId);
        Assert.Equal("vendor=1", context.ActivityContext.TraceState);
        Assert.NotNull(current);
        Assert.Equal($"process {topic}", current.DisplayName);
        Assert.Equal(ActivityKind.Consumer, current.Kind);
        Assert.Equal(publish.TraceId, current.TraceId);
        Assert.Equal(publish.SpanId, current.ParentSpanId);
        var link = Assert.Single(current.Links);
        Assert.Equal(publish.SpanId, link.Context.SpanId);
        await host.StopAsync();
    }

    [Fact]
    public async Task Metrics_count_published_delivered_acked_retried_dead_lettered_and_pending()
    {
        var server = await TestServers.RedisAsync();
        var topic = TestServers.KeyPrefix() + "metered";
        var counts = new ConcurrentDictionary<string, long>();
        long pending = -1;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Suite.Messaging")
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (!HasTopic(tags, topic))
                return;
            if (instrument.Name == "suite.messaging.pending")
                Volatile.Write(ref pending, value);
            else
                counts.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
        });
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            if (HasTopic(tags, topic))
                counts.AddOrUpdate(instrument.Name, 1, (_, n) => n + 1);
        });
        listener.Start();

        await using var redis = BusTestHost.Client(server.ConnectionString);
        var bus = new RedisMessageBus(redis);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = await BusTestHost.StartConsumerAsync<BusOrder>(server.ConnectionString, topic, "g",
            async (context, _) =>
            {
                if (context.Message.Item == "bad")
                    throw new InvalidOperationException("bad order");
                if (context.Message.Item == "held")
                    await gate.Task;
            },
            o => { o.MaxDeliveries = 2; o.ClaimInterval = TimeSpan.FromMilliseconds(50); });

        await bus.PublishAsync(topic, new BusOrder(0, "held"));
        for (var i = 1; i <= 4; i++)
            await bus.PublishAsync(topic, new BusOrder(i, "good"));
        await bus.PublishAsync(topic, new BusOrder(5, "bad"));

        await Eventually.Until(() => Get(counts, "suite.messaging.dead_lettered") == 1 && Get(counts, "suite.messaging.acked") == 4,
            Timeout, "the good messages are acked and the bad one dead-lettered");
        await Eventually.Until(() => { listener.RecordObservableInstruments(); return Volatile.Read(ref pending) == 1; },
            Timeout, "the pending gauge shows the held message");
        gate.SetResult();
        await Eventually.Until(() => Get(counts, "suite.messaging.acked") == 5, Timeout, "the held message is acked");
        await Eventually.Until(() => { listener.RecordObservableInstruments(); return Volatile.Read(ref pending) == 0; },
            Timeout, "the pending gauge drops to zero");

        Assert.Equal(6, Get(counts, "suite.messaging.published"));
        Assert.Equal(7, Get(counts, "suite.messaging.delivered"));
        Assert.Equal(1, Get(counts, "suite.messaging.retried"));
        Assert.Equal(7, Get(counts, "suite.messaging.handler.duration"));
        await host.StopAsync();
    }

    private static long Get(ConcurrentDictionary<string, long> counts, string name) => counts.GetValueOrDefault(name);

    private static bool HasTopic(ReadOnlySpan<KeyValuePair<string, object?>> tags, string topic)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "messaging.destination.name" && (string?)tag.Value == topic)
                return true;
        }
        return false;
    }
}
