using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Suite.Redis.Connections;

namespace Suite.Redis;

/// <summary>
/// A handler subscribed to a channel or pattern. Messages reach the handler one at a time, in the
/// order they were published, off the connection's reader thread. Dispose to unsubscribe; after
/// <see cref="DisposeAsync"/> returns the handler is not called again.
/// </summary>
public sealed class RedisSubscription : IAsyncDisposable
{
    private static readonly AsyncLocal<RedisSubscription?> RunningHandler = new();

    private readonly SubscriptionHub _hub;
    private readonly Func<RedisMessage, Task> _handler;
    private readonly ILogger _logger;
    private readonly Channel<RedisMessage> _inbox = System.Threading.Channels.Channel.CreateUnbounded<RedisMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;
    private int _disposed;

    internal RedisSubscription(SubscriptionHub hub, string channel, bool isPattern, Func<RedisMessage, Task> handler, ILogger logger)
    {
        _hub = hub;
        Channel = channel;
        IsPattern = isPattern;
        _handler = handler;
        _logger = logger;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The channel name, or the pattern for a pattern subscription.</summary>
    public string Channel { get; }

    public bool IsPattern { get; }

    internal void Post(RedisMessage message) => _inbox.Writer.TryWrite(message);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        try
        {
            await _hub.UnsubscribeAsync(this);
        }
        finally
        {
            _inbox.Writer.TryComplete();
            // A handler that disposes its own subscription must not wait for itself.
            if (RunningHandler.Value != this)
                await _pump;
        }
    }

    internal void Stop() => _inbox.Writer.TryComplete();

    private async Task PumpAsync()
    {
        RunningHandler.Value = this;
        await foreach (var message in _inbox.Reader.ReadAllAsync())
        {
            try
            {
                await _handler(message);
            }
            catch (Exception ex)
            {
                RedisLog.HandlerFailed(_logger, Channel, ex);
            }
        }
    }
}
