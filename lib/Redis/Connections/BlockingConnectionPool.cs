using Suite.Redis.Protocol;

namespace Suite.Redis.Connections;

/// <summary>
/// Connections lent to blocking commands (XREAD/XREADGROUP with BLOCK, BLPOP), one command at a
/// time, so a command that waits on the server never holds up the multiplexed pipeline. The pool
/// grows with the number of concurrent blocking calls and keeps a few idle ones. A call that times
/// out or is cancelled closes its connection: the server then drops the blocked command.
/// </summary>
internal sealed class BlockingConnectionPool
{
    private const int MaxIdle = 8;

    private readonly RedisOptions _options;
    private readonly Stack<RedisConnection> _idle = new();
    private readonly CancellationTokenSource _disposed = new();

    public BlockingConnectionPool(RedisOptions options) => _options = options;

    public async ValueTask<T> ExecuteAsync<T>(
        byte[] encoded, string name, ReplyParser<T> parser, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connection = await RentAsync(name, cancellationToken);
        var reusable = false;
        try
        {
            if (!connection.TrySend(encoded, name, parser, timeout, cancellationToken, out var reply))
                throw new RedisConnectionException($"The connection to Redis at {connection.Endpoint} closed before {name} was sent.", connection.Endpoint, name);
            var result = await reply;
            reusable = true;
            return result;
        }
        catch (RedisServerException)
        {
            reusable = true; // an error reply leaves the connection fine
            throw;
        }
        finally
        {
            if (reusable)
                Return(connection);
            else
                connection.Close(new OperationCanceledException($"{name} was abandoned"));
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        lock (_idle)
        {
            while (_idle.TryPop(out var connection))
                connection.Close(new ObjectDisposedException(nameof(RedisClient)));
        }
    }

    private async ValueTask<RedisConnection> RentAsync(string command, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, typeof(RedisClient));
        lock (_idle)
        {
            while (_idle.TryPop(out var idle))
            {
                if (idle.IsOpen)
                    return idle;
            }
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        try
        {
            return await RedisConnection.OpenAsync(_options, ConnectionKind.Blocking, onPush: null, linked.Token);
        }
        catch (RedisConnectionException ex)
        {
            throw new RedisConnectionException($"{ex.Message} (command {command} not sent)", ex.Endpoint, command, ex);
        }
    }

    private void Return(RedisConnection connection)
    {
        lock (_idle)
        {
            if (connection.IsOpen && connection.PendingCount == 0 && _idle.Count < MaxIdle && !_disposed.IsCancellationRequested)
            {
                _idle.Push(connection);
                return;
            }
        }
        connection.Close(new ObjectDisposedException(nameof(BlockingConnectionPool)));
    }
}
