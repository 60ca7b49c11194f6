namespace Suite.Redis;

/// <summary>One entry of the extended form of XPENDING.</summary>
/// <param name="Idle">Time since it was last delivered.</param>
/// <param name="DeliveryCount">How many times it has been delivered.</param>
public sealed record StreamPendingMessage(string Id, string Consumer, TimeSpan Idle, long DeliveryCount);
