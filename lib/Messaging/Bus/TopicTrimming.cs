using System.Collections.Concurrent;

namespace Suite.Messaging;

/// <summary>How XADD trims one topic: approximately by length, or by age when a max age is set.</summary>
internal readonly record struct TrimPolicy(long MaxLength, TimeSpan? MaxAge);

/// <summary>Resolves each topic's <see cref="TrimPolicy"/> once from <see cref="MessageBusOptions"/>.</summary>
internal sealed class TopicTrimming(MessageBusOptions options)
{
    private readonly ConcurrentDictionary<string, TrimPolicy> _policies = new(StringComparer.Ordinal);

    public TrimPolicy For(string topic) =>
        _policies.TryGetValue(topic, out var policy) ? policy : _policies.GetOrAdd(topic, Resolve);

    private TrimPolicy Resolve(string topic)
    {
        options.Topics.TryGetValue(topic, out var own);
        var maxLength = own?.MaxLength ?? options.MaxLength;
        if (maxLength < 1)
            throw new ArgumentOutOfRangeException(nameof(MessageBusOptions.MaxLength), maxLength, $"The max length of topic {topic} must be at least 1.");
        return new TrimPolicy(maxLength, own?.MaxAge ?? options.MaxAge);
    }
}
