namespace Suite.Redis;

/// <summary>A message published on a channel this client subscribed to.</summary>
/// <param name="Channel">The channel it was published on.</param>
/// <param name="Payload">The message; binary-safe.</param>
/// <param name="Pattern">The pattern that matched, for pattern subscriptions.</param>
public sealed record RedisMessage(string Channel, RedisValue Payload, string? Pattern = null);
