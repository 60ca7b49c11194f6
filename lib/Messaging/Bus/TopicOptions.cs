namespace Suite.Messaging;

/// <summary>Trimming of one topic, overriding <see cref="MessageBusOptions"/>' defaults (see there for what trimming can lose).</summary>
public sealed class TopicOptions
{
    /// <summary>Approximate most entries kept (XADD MAXLEN ~).</summary>
    public long? MaxLength { get; set; }

    /// <summary>When set, entries older than this are trimmed (XADD MINID ~) instead of trimming by length.</summary>
    public TimeSpan? MaxAge { get; set; }
}
