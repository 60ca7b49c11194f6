using Microsoft.Extensions.Logging;
using Suite.Redis.Protocol;

namespace Suite.Redis.Connections;

/// <summary>
/// The client's pub/sub side: one subscriber connection (made on first subscribe) shared by all
/// subscriptions, with the channels and patterns each has. After a reconnect every channel and
/// pattern is subscribed again before the new connection is used.
/// </summary>
internal sealed class SubscriptionHub
{
    private readonly RedisOptions _options;
    private readonly ILogger _logger;
    private readonly ConnectionManager _manager;
    private readonly Dictionary<string, List<RedisSubscription>> _channels = [];
    private readonly Dictionary<string, List<RedisSubscription>> _patterns = [];
    // Subscribe and unsubscribe commands go one at a time, so they reach the server in the order the map changed.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public SubscriptionHub(RedisOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _manager = new ConnectionManager(options, ConnectionKind.Subscriber, logger, OnPush, ResubscribeAsync);
    }

    public async Task<RedisSubscription> SubscribeAsync(string channel, bool isPattern, Func<RedisMessage, Task> handler, CancellationToken cancellationToken)
    {
        var command = isPattern ? "PSUBSCRIBE" : "SUBSCRIBE";
        var subscription = new RedisSubscription(this, channel, isPattern, handler, _logger);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            lock (_channels)
            {
                var map = isPattern ? _patterns : _channels;
                if (!map.TryGetValue(channel, out var list))
                    map[channel] = list = [];
                list.Add(subscription);
            }
            try
            {
                var connection = await _manager.GetAsync(command, cancellationToken);
                await SendAsync(connection, command, channel, cancellationToken);
            }
            catch
            {
                Remove(subscription);
                subscription.Stop();
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
        return subscription;
    }

    public async Task UnsubscribeAsync(RedisSubscription subscription)
    {
        if (_manager.IsDisposed)
            return;
        await _gate.WaitAsync();
        try
        {
            if (!Remove(subscription))
                return;
            // The last handler of the channel is gone: tell the server, if we are connected.
            if (_manager.Current is { IsOpen: true } connection)
                await SendAsync(connection, subscription.IsPattern ? "PUNSUBSCRIBE" : "UNSUBSCRIBE", subscription.Channel, default);
        }
        catch (RedisException ex)
        {
            RedisLog.UnsubscribeFailed(_logger, subscription.Channel, _options.Endpoint, ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _manager.Dispose();
        lock (_channels)
        {
            foreach (var subscription in _channels.Values.Concat(_patterns.Values).SelectMany(list => list))
                subscription.Stop();
        }
    }

    /// <summary>Removes the subscription; true when it was the channel's last one.</summary>
    private bool Remove(RedisSubscription subscription)
    {
        lock (_channels)
        {
            var map = subscription.IsPattern ? _patterns : _channels;
            if (!map.TryGetValue(subscription.Channel, out var list) || !list.Remove(subscription) || list.Count > 0)
                return false;
            map.Remove(subscription.Channel);
            return true;
        }
    }

    private async Task ResubscribeAsync(RedisConnection connection)
    {
        string[] channels, patterns;
        lock (_channels)
        {
            channels = [.. _channels.Keys];
            patterns = [.. _patterns.Keys];
        }
        var replies = channels.Select(channel => SendAsync(connection, "SUBSCRIBE", channel, default))
            .Concat(patterns.Select(pattern => SendAsync(connection, "PSUBSCRIBE", pattern, default)))
            .ToList();
        await Task.WhenAll(replies);
    }

    private Task SendAsync(RedisConnection connection, string command, string channel, CancellationToken cancellationToken)
    {
        var buffer = CommandBuffer.Start(command);
        buffer.Add(channel);
        var sent = connection.TrySend(buffer.Encoded, command, ReplyParsers.Reply, _options.CommandTimeout, cancellationToken, out var reply);
        buffer.Return();
        return sent
            ? reply.AsTask()
            : Task.FromException(new RedisConnectionException($"The subscriber connection to Redis at {_options.Endpoint} closed before {command} was sent.", _options.Endpoint, command));
    }

    /// <summary>Runs on the connection's reader: only hands messages over, never waits.</summary>
    private void OnPush(RedisReply push)
    {
        var kind = push[0].AsString();
        var isPattern = kind == "pmessage";
        if (push.Count < (isPattern ? 4 : 3))
            return;
        var key = push[1].AsString() ?? "";
        var message = isPattern
            ? new RedisMessage(push[2].AsString() ?? "", push[3].AsValue(), key)
            : new RedisMessage(key, push[2].AsValue());
        RedisSubscription[] targets;
        lock (_channels)
        {
            var map = isPattern ? _patterns : _channels;
            if (!map.TryGetValue(key, out var list))
                return;
            targets = [.. list];
        }
        foreach (var subscription in targets)
            subscription.Post(message);
    }
}
