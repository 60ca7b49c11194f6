using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Suite.Messaging;

/// <summary>
/// The bus's ActivitySource and Meter, both named <c>Suite.Messaging</c> (ServiceDefaults listens to
/// <c>Suite.*</c>). Spans: <c>publish {topic}</c> (producer) and <c>process {topic}</c> (consumer, a child
/// of the producer's context and linked to it). Counters carry the topic and, on the consumer side, the group.
/// </summary>
internal static class BusTelemetry
{
    public const string Name = "Suite.Messaging";
    public const string TopicTag = "messaging.destination.name";
    public const string GroupTag = "messaging.consumer.group.name";
    public const string ReasonTag = "reason";
    public const string OutcomeTag = "outcome";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Published = Meter.CreateCounter<long>("suite.messaging.published", "{message}", "Messages published.");
    public static readonly Counter<long> Delivered = Meter.CreateCounter<long>("suite.messaging.delivered", "{message}", "Deliveries handed to a handler.");
    public static readonly Counter<long> Acked = Meter.CreateCounter<long>("suite.messaging.acked", "{message}", "Messages acknowledged after their handler succeeded.");
    public static readonly Counter<long> Retried = Meter.CreateCounter<long>("suite.messaging.retried", "{message}", "Failed deliveries scheduled to be retried.");
    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("suite.messaging.dead_lettered", "{message}", "Messages moved to <topic>:dead (reason: failed, limit, malformed, lost).");
    public static readonly Counter<long> Reclaimed = Meter.CreateCounter<long>("suite.messaging.reclaimed", "{message}", "Messages reclaimed from consumers idle past the visibility timeout.");
    public static readonly Histogram<double> HandlerDuration = Meter.CreateHistogram<double>("suite.messaging.handler.duration", "s", "Time a handler took, per delivery.");

    // Pending counts per (topic, group), refreshed by each consumer's claim loop; the gauge reports the latest.
    private static readonly ConcurrentDictionary<(string Topic, string Group), long> PendingCounts = new();

    static BusTelemetry() =>
        Meter.CreateObservableGauge("suite.messaging.pending", ObservePending, "{message}", "Messages delivered to a group and not yet acknowledged.");

    public static void SetPending(string topic, string group, long count) => PendingCounts[(topic, group)] = count;

    public static void ForgetPending(string topic, string group) => PendingCounts.TryRemove((topic, group), out _);

    private static IEnumerable<Measurement<long>> ObservePending()
    {
        foreach (var ((topic, group), count) in PendingCounts)
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>(TopicTag, topic), new KeyValuePair<string, object?>(GroupTag, group));
    }

    public static Activity? StartPublish(string topic, string messageId)
    {
        if (!Source.HasListeners())
            return null;
        var activity = Source.StartActivity($"publish {topic}", ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "redis");
            activity.SetTag("messaging.operation.name", "publish");
            activity.SetTag(TopicTag, topic);
            activity.SetTag("messaging.message.id", messageId);
        }
        return activity;
    }

    /// <summary>The consumer span: continues the producer's trace and links to its span (several receivers may process one message).</summary>
    public static Activity? StartProcess(string topic, string group, string consumer, string messageId, int attempt, ActivityContext producer)
    {
        if (!Source.HasListeners())
            return null;
        ActivityLink[]? links = producer == default ? null : [new ActivityLink(producer)];
        var activity = Source.StartActivity($"process {topic}", ActivityKind.Consumer, producer, links: links);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "redis");
            activity.SetTag("messaging.operation.name", "process");
            activity.SetTag(TopicTag, topic);
            activity.SetTag(GroupTag, group);
            activity.SetTag("messaging.consumer.name", consumer);
            activity.SetTag("messaging.message.id", messageId);
            activity.SetTag("messaging.message.delivery_count", attempt);
        }
        return activity;
    }

    public static void Fail(Activity activity, Exception exception)
    {
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.AddException(exception);
    }
}
