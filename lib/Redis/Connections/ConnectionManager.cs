using Microsoft.Extensions.Logging;

namespace Suite.Redis.Connections;

/// <summary>
/// Keeps one connection of a kind open: connects on first use, and when the connection drops,
/// reconnects in the background with a growing, jittered delay (50 ms doubling up to
/// <see cref="RedisOptions.ReconnectMaxBackoff"/>). A command that arrives while an attempt is
/// running waits for it; one that arrives while waiting out the delay fails at once, so nothing
/// hangs while Redis is down.
/// </summary>
internal sealed class ConnectionManager
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);

    private readonly RedisOptions _options;
    private readonly ConnectionKind _kind;
    private readonly ILogger _logger;
    private readonly Action<RedisReply>? _onPush;
    private readonly Func<RedisConnection, Task>? _onConnected;
    private readonly object _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private RedisConnection? _current;
    private Task<RedisConnection>? _attempt;
    private Exception? _lastError;
    private long _retryAt;
    private int _failures;
    private bool _retryScheduled;

    /// <param name="onConnected">Runs on each new connection before anyone else uses it (re-subscribing).</param>
    public ConnectionManager(
        RedisOptions options, ConnectionKind kind, ILogger logger,
        Action<RedisReply>? onPush = null, Func<RedisConnection, Task>? onConnected = null)
    {
        _options = options;
        _kind = kind;
        _logger = logger;
        _onPush = onPush;
        _onConnected = onConnected;
    }

    /// <summary>The open connection, or null; it may close at any moment (TrySend then says so).</summary>
    public RedisConnection? Current => Volatile.Read(ref _current);

    public bool IsDisposed => _disposed.IsCancellationRequested;

    /// <summary>The open connection, after connecting when there is none.</summary>
    public ValueTask<RedisConnection> GetAsync(string command, CancellationToken cancellationToken)
    {
        Task<RedisConnection> attempt;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, typeof(RedisClient));
            if (_current is { IsOpen: true } current)
                return new ValueTask<RedisConnection>(current);
            if (_attempt is null)
            {
                if (_lastError is not null && Environment.TickCount64 < _retryAt)
                    throw Unreachable(command, _lastError);
                _attempt = ConnectAsync();
            }
            attempt = _attempt;
        }
        return WaitForAsync(attempt, command, cancellationToken);
    }

    public void Dispose()
    {
        RedisConnection? current;
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested)
                return;
            _disposed.Cancel();
            current = _current;
            _current = null;
        }
        current?.Close(new ObjectDisposedException(nameof(RedisClient)));
    }

    private async ValueTask<RedisConnection> WaitForAsync(Task<RedisConnection> attempt, string command, CancellationToken cancellationToken)
    {
        try
        {
            return await attempt.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Unreachable(command, ex);
        }
    }

    private RedisConnectionException Unreachable(string command, Exception reason)
    {
        var message = reason is RedisConnectionException ? reason.Message : $"Could not connect to Redis at {_options.Endpoint}: {reason.Message}";
        return new RedisConnectionException($"{message} (command {command} not sent)", _options.Endpoint, command, reason);
    }

    private async Task<RedisConnection> ConnectAsync()
    {
        // Leave the caller's lock before doing any work.
        await Task.Yield();
        RedisConnection? connection = null;
        try
        {
            connection = await RedisConnection.OpenAsync(_options, _kind, _onPush, _disposed.Token);
            if (_onConnected is not null)
                await _onConnected(connection);
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, typeof(RedisClient));
                _current = connection;
                _attempt = null;
                _failures = 0;
                _lastError = null;
            }
        }
        catch (Exception ex)
        {
            connection?.Close(ex);
            TimeSpan delay;
            int failures;
            lock (_lock)
            {
                _attempt = null;
                failures = ++_failures;
                _lastError = ex;
                delay = Backoff(failures);
                _retryAt = Environment.TickCount64 + (long)delay.TotalMilliseconds;
                if (!_disposed.IsCancellationRequested && !_retryScheduled)
                {
                    _retryScheduled = true;
                    _ = RetryAfterAsync(delay);
                }
            }
            if (failures == 1 || failures % 10 == 0)
                RedisLog.ConnectFailed(_logger, _options.Endpoint, failures, (long)delay.TotalMilliseconds, ex);
            else
                RedisLog.ConnectFailedAgain(_logger, _options.Endpoint, failures, (long)delay.TotalMilliseconds, ex);
            throw;
        }
        RedisLog.Connected(_logger, _options.Endpoint, Purpose);
        _ = ReconnectWhenClosedAsync(connection);
        return connection;
    }

    private async Task ReconnectWhenClosedAsync(RedisConnection connection)
    {
        var reason = await connection.Closed;
        Task<RedisConnection> attempt;
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested)
                return;
            if (_current == connection)
                _current = null;
            else if (_current is { IsOpen: true })
                return; // already replaced
            // A command may have noticed first and started the attempt already.
            attempt = _attempt ??= ConnectAsync();
        }
        RedisLog.ConnectionLost(_logger, _options.Endpoint, Purpose, reason);
        try
        {
            await attempt;
        }
        catch (Exception)
        {
            // Logged by ConnectAsync, which schedules the next try.
        }
    }

    private async Task RetryAfterAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _disposed.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        Task<RedisConnection> attempt;
        lock (_lock)
        {
            _retryScheduled = false;
            if (_disposed.IsCancellationRequested || _attempt is not null || _current is { IsOpen: true })
                return;
            attempt = _attempt = ConnectAsync();
        }
        try
        {
            await attempt;
        }
        catch (Exception)
        {
            // Logged by ConnectAsync, which schedules the next try.
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var max = _options.ReconnectMaxBackoff;
        var delay = FirstBackoff * Math.Pow(2, Math.Min(failures - 1, 20));
        if (delay > max)
            delay = max;
        // Jitter keeps many clients from reconnecting in lockstep.
        return delay * (0.8 + Random.Shared.NextDouble() * 0.4);
    }

    private string Purpose => _kind switch
    {
        ConnectionKind.Subscriber => "subscriber",
        ConnectionKind.Blocking => "blocking",
        _ => "multiplexed",
    };
}
