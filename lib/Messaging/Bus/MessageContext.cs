using System.Diagnostics;

namespace Suite.Messaging;

/// <summary>One delivery of a message to a handler: the message and where it came from.</summary>
public sealed class MessageContext<T>
{
    /// <summary>The deserialized message.</summary>
    public required T Message { get; init; }

    /// <summary>The id the producer gave the message; stable across redeliveries, the key for de-duplication.</summary>
    public required string MessageId { get; init; }

    /// <summary>The stream entry id (<c>1700000000000-0</c>) under which the message is stored in the topic.</summary>
    public required string StreamId { get; init; }

    public required string Topic { get; init; }

    public required string Group { get; init; }

    /// <summary>The consumer name of this delivery within <see cref="Group"/>.</summary>
    public required string Consumer { get; init; }

    /// <summary>
    /// 1-based delivery count, kept by Redis in the group's pending entry list: it counts deliveries
    /// to consumers that crashed too.
    /// </summary>
    public required int Attempt { get; init; }

    /// <summary>When the producer published the message.</summary>
    public required DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>The .NET type name the producer published, as written in the entry.</summary>
    public string? MessageType { get; init; }

    /// <summary>The producer's trace context (default when the producer had none); the process span links to it.</summary>
    public ActivityContext ActivityContext { get; init; }
}
