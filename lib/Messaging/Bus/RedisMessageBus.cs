using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Suite.Redis;

namespace Suite.Messaging;

/// <summary>
/// <see cref="IMessageBus"/> on Redis Streams: one XADD per message, trimmed as <see cref="MessageBusOptions"/>
/// says. Publishes concurrently on the client's shared pipelined connection; thread-safe.
/// </summary>
public sealed class RedisMessageBus : IMessageBus
{
    private readonly RedisClient _redis;
    private readonly MessageBusOptions _options;
    private readonly TopicTrimming _trimming;

    public RedisMessageBus(RedisClient redis, IOptions<MessageBusOptions> options)
        : this(redis, options.Value)
    {
    }

    /// <summary>A bus with the default <see cref="MessageBusOptions"/>.</summary>
    public RedisMessageBus(RedisClient redis)
        : this(redis, new MessageBusOptions())
    {
    }

    public RedisMessageBus(RedisClient redis, MessageBusOptions options)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _options = options;
        _trimming = new TopicTrimming(_options);
    }

    public Task<string> PublishAsync<T>(string topic, T message, CancellationToken cancellationToken = default) =>
        PublishAsync(topic, message, Guid.CreateVersion7().ToString("N"), cancellationToken);

    public async Task<string> PublishAsync<T>(string topic, T message, string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        var data = JsonSerializer.SerializeToUtf8Bytes(message, _options.SerializerOptions);

        using var activity = BusTelemetry.StartPublish(topic, messageId);
        var trace = TraceOf(activity ?? Activity.Current);
        var args = MessageFields.Encode(topic, _trimming.For(topic), messageId, TypeName<T>.Value, trace, data);
        try
        {
            await _redis.ExecuteAsync("XADD", args, cancellationToken);
        }
        catch (Exception ex) when (activity is not null)
        {
            BusTelemetry.Fail(activity, ex);
            throw;
        }
        BusTelemetry.Published.Add(1, new KeyValuePair<string, object?>(BusTelemetry.TopicTag, topic));
        return messageId;
    }

    // Activity.Context leaves out a tracestate inherited from the parent; TraceStateString walks up to it.
    private static ActivityContext TraceOf(Activity? activity) =>
        activity is null || activity.IdFormat != ActivityIdFormat.W3C
            ? default
            : new ActivityContext(activity.TraceId, activity.SpanId, activity.ActivityTraceFlags, activity.TraceStateString);

    private static class TypeName<T>
    {
        public static readonly string Value = typeof(T).FullName ?? typeof(T).Name;
    }
}
