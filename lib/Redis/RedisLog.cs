using Microsoft.Extensions.Logging;

namespace Suite.Redis;

/// <summary>The client's log messages (source-generated, no cost when the level is off).</summary>
internal static partial class RedisLog
{
    [LoggerMessage(1, LogLevel.Information, "Connected to Redis at {Endpoint} ({Purpose} connection)")]
    public static partial void Connected(ILogger logger, string endpoint, string purpose);

    [LoggerMessage(2, LogLevel.Warning, "Lost the {Purpose} connection to Redis at {Endpoint}; reconnecting")]
    public static partial void ConnectionLost(ILogger logger, string endpoint, string purpose, Exception reason);

    [LoggerMessage(3, LogLevel.Warning, "Could not connect to Redis at {Endpoint} (attempt {Attempt}); next try in {DelayMs} ms")]
    public static partial void ConnectFailed(ILogger logger, string endpoint, int attempt, long delayMs, Exception reason);

    [LoggerMessage(4, LogLevel.Debug, "Could not connect to Redis at {Endpoint} (attempt {Attempt}); next try in {DelayMs} ms")]
    public static partial void ConnectFailedAgain(ILogger logger, string endpoint, int attempt, long delayMs, Exception reason);

    [LoggerMessage(5, LogLevel.Error, "A Redis subscription handler for {Channel} threw")]
    public static partial void HandlerFailed(ILogger logger, string channel, Exception error);

    [LoggerMessage(6, LogLevel.Warning, "Could not unsubscribe from {Channel} on Redis at {Endpoint}")]
    public static partial void UnsubscribeFailed(ILogger logger, string channel, string endpoint, Exception error);
}
