using Suite.Redis;

namespace Suite.Messaging;

/// <summary>
/// Entries the shared follower read from one stream: all those right after <see cref="After"/>, in
/// order. A client positioned exactly at <see cref="After"/> can write them without reading Redis.
/// </summary>
internal sealed record FollowerBatch(string After, IReadOnlyList<StreamEntry> Entries)
{
    /// <summary>The stream has entries past the client's position: read them from Redis.</summary>
    public static FollowerBatch Behind { get; } = new("", []);
}
