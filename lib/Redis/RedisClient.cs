using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Suite.Redis.Connections;
using Suite.Redis.Protocol;

namespace Suite.Redis;

/// <summary>
/// A Redis client for one endpoint. All commands of all callers share one pipelined connection
/// (replies are matched to commands by order), made on first use and remade in the background
/// when it drops; commands in flight when it drops fail with <see cref="RedisConnectionException"/>.
/// Blocking commands (XREAD/XREADGROUP with a block time, BLPOP, and the same sent through
/// <see cref="ExecuteAsync(string, ReadOnlySpan{RedisValue})"/>) are routed transparently to a small
/// pool of dedicated connections, so they never stall the shared one. Pub/sub uses its own connection.
/// Thread-safe; make one per endpoint and share it. Typed commands return <see cref="ValueTask{T}"/>
/// backed by pooled objects: await each one once.
/// </summary>
public sealed partial class RedisClient : IAsyncDisposable
{
    private readonly ConnectionManager _multiplexed;
    private readonly BlockingConnectionPool _blocking;
    private readonly Lazy<SubscriptionHub> _subscriptions;
    private int _disposed;

    public RedisClient(RedisOptions options, ILogger<RedisClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        ILogger log = logger ?? NullLogger<RedisClient>.Instance;
        _multiplexed = new ConnectionManager(options, ConnectionKind.Multiplexed, log);
        _blocking = new BlockingConnectionPool(options);
        _subscriptions = new Lazy<SubscriptionHub>(() => new SubscriptionHub(options, log));
    }

    public RedisOptions Options { get; }

    /// <summary>The server's <c>host:port</c>.</summary>
    public string Endpoint => Options.Endpoint;

    /// <summary>True while the shared connection is open.</summary>
    public bool IsConnected => _multiplexed.Current?.IsOpen == true;

    /// <summary>Connects now instead of on the first command; throws <see cref="RedisConnectionException"/> when Redis cannot be reached.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default) =>
        await _multiplexed.GetAsync("CONNECT", cancellationToken);

    /// <summary>Sends PING and returns the round-trip time (connecting first, which is not counted).</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        await _multiplexed.GetAsync("PING", cancellationToken);
        var started = Stopwatch.GetTimestamp();
        await SendAsync(CommandBuffer.Start("PING"), ReplyParsers.Ok, cancellationToken);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// Sends any command and returns the raw reply; an error reply throws <see cref="RedisServerException"/>.
    /// <paramref name="command"/> may hold a sub-command (<c>"CLIENT LIST"</c>). Blocking commands go to a
    /// dedicated connection. Commands that would change the shared connection's state for everyone
    /// (SELECT, MULTI, WATCH, SUBSCRIBE…) are refused: use options, scripts or <see cref="SubscribeAsync(string, Func{RedisMessage, Task}, CancellationToken)"/>.
    /// </summary>
    public ValueTask<RedisReply> ExecuteAsync(string command, params ReadOnlySpan<RedisValue> args) =>
        ExecuteAsync(command, args, CancellationToken.None);

    /// <inheritdoc cref="ExecuteAsync(string, ReadOnlySpan{RedisValue})"/>
    public ValueTask<RedisReply> ExecuteAsync(string command, ReadOnlySpan<RedisValue> args, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        if (RawCommands.RefusalReason(command) is { } reason)
            return ValueTask.FromException<RedisReply>(new ArgumentException(reason, nameof(command)));
        var buffer = CommandBuffer.Start(command.Trim());
        foreach (var arg in args)
            buffer.Add(arg);
        if (RawCommands.BlockTime(command, args) is { } block)
            return SendBlockingAsync(buffer, ReplyParsers.Reply, block, cancellationToken);
        return SendAsync(buffer, ReplyParsers.Reply, cancellationToken);
    }

    /// <summary>Closes every connection; commands still waiting fail with <see cref="RedisConnectionException"/>.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return ValueTask.CompletedTask;
        _multiplexed.Dispose();
        _blocking.Dispose();
        if (_subscriptions.IsValueCreated)
            _subscriptions.Value.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Sends an encoded command on the shared connection. Takes back <paramref name="command"/>.</summary>
    internal ValueTask<T> SendAsync<T>(CommandBuffer command, ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            command.Return();
            return ValueTask.FromCanceled<T>(cancellationToken);
        }
        var connection = _multiplexed.Current;
        if (connection is not null && connection.TrySend(command.Encoded, command.Name, parser, Options.CommandTimeout, cancellationToken, out var reply))
        {
            command.Return();
            return reply;
        }
        // Not connected: keep a copy, since the thread's buffer is reused after this returns.
        var encoded = command.Encoded.ToArray();
        var name = command.Name;
        command.Return();
        return SendWhenConnectedAsync(encoded, name, parser, cancellationToken);
    }

    private async ValueTask<T> SendWhenConnectedAsync<T>(byte[] encoded, string name, ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        // A connection can close between being handed out and the write; nothing was sent then, so try again.
        for (var attempt = 1; ; attempt++)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            var connection = await _multiplexed.GetAsync(name, cancellationToken);
            if (connection.TrySend(encoded, name, parser, Options.CommandTimeout, cancellationToken, out var reply))
                return await reply;
            if (attempt == 3)
                throw new RedisConnectionException($"The connection to Redis at {Endpoint} kept closing before {name} could be sent.", Endpoint, name);
        }
    }

    /// <summary>Sends a blocking command on a dedicated connection; its time-out is the block time plus <see cref="RedisOptions.CommandTimeout"/>.</summary>
    internal ValueTask<T> SendBlockingAsync<T>(CommandBuffer command, ReplyParser<T> parser, TimeSpan block, CancellationToken cancellationToken)
    {
        var encoded = command.Encoded.ToArray();
        var name = command.Name;
        command.Return();
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var timeout = block == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : block + Options.CommandTimeout;
        return _blocking.ExecuteAsync(encoded, name, parser, timeout, cancellationToken);
    }
}
