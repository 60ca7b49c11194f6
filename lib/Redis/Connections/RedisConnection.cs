using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Suite.Redis.Protocol;

namespace Suite.Redis.Connections;

/// <summary>
/// One TCP connection to Redis. Callers append whole commands to the output buffer under a short
/// lock, in the same order they queue their <see cref="PendingCommand"/>s; whatever has gathered
/// goes to the socket in one write (see <see cref="OutputBuffer"/>), and a reader loop parses every
/// reply that has arrived (a <see cref="PipeReader"/> over the socket) and completes the queued
/// commands in order. A connection never reconnects: once closed
/// it fails what it holds with <see cref="RedisConnectionException"/> and is replaced by its owner.
/// </summary>
internal sealed class RedisConnection
{
    private const int MaxBatch = 256;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly OutputBuffer _output;
    private readonly object _sync = new();
    private readonly PendingQueue _pending = new();
    private readonly RedisOptions _options;
    private readonly Action<RedisReply>? _onPush;
    private readonly Timer _timeoutTimer;
    private readonly TaskCompletionSource<Exception> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // The reader's scratch space for one batch of replies: their lengths and their commands.
    private readonly long[] _frameLengths = new long[MaxBatch];
    private readonly PendingCommand?[] _batch = new PendingCommand?[MaxBatch];
    private readonly ReplyDispatcher _dispatcher;
    private RespFrameScanner _scanner;
    private bool _isClosed;

    private RedisConnection(Socket socket, RedisOptions options, ConnectionKind kind, Action<RedisReply>? onPush)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _options = options;
        Kind = kind;
        _onPush = onPush;
        Endpoint = options.Endpoint;
        _dispatcher = new ReplyDispatcher(options.InlineContinuations);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true));
        _output = new OutputBuffer(socket, _sync, Close);
        var period = TimeSpan.FromMilliseconds(Math.Clamp(options.CommandTimeout.TotalMilliseconds / 10, 10, 100));
        _timeoutTimer = new Timer(static state => ((RedisConnection)state!).FailExpiredCommands(), this, period, period);
    }

    public ConnectionKind Kind { get; }

    public string Endpoint { get; }

    public bool IsOpen => !Volatile.Read(ref _isClosed);

    /// <summary>Completes with the reason once the connection has closed.</summary>
    public Task<Exception> Closed => _closed.Task;

    /// <summary>Commands written whose replies have not been read yet (timed-out ones included).</summary>
    public int PendingCount
    {
        get
        {
            lock (_sync)
                return _pending.Count;
        }
    }

    /// <summary>Connects, authenticates, names the client and selects the database.</summary>
    public static async Task<RedisConnection> OpenAsync(
        RedisOptions options, ConnectionKind kind, Action<RedisReply>? onPush, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, timeout.Token);
            EnableKeepAlive(socket);
        }
        catch (Exception ex)
        {
            socket.Dispose();
            var reason = ex is OperationCanceledException && !cancellationToken.IsCancellationRequested
                ? $"no answer within {options.ConnectTimeout.TotalMilliseconds:0} ms"
                : ex.Message;
            throw new RedisConnectionException($"Could not connect to Redis at {options.Endpoint}: {reason}", options.Endpoint, null, ex);
        }

        var connection = new RedisConnection(socket, options, kind, onPush);
        connection.Start();
        try
        {
            await connection.HandshakeAsync().WaitAsync(timeout.Token);
            return connection;
        }
        catch (Exception ex)
        {
            connection.Close(ex);
            var reason = ex is OperationCanceledException && !cancellationToken.IsCancellationRequested
                ? $"no answer to the handshake within {options.ConnectTimeout.TotalMilliseconds:0} ms"
                : ex.Message;
            throw new RedisConnectionException($"Could not set up the connection to Redis at {options.Endpoint}: {reason}", options.Endpoint, null, ex);
        }
    }

    /// <summary>
    /// Queues a command and writes it. False when the connection is closed (nothing was sent);
    /// the caller then retries on another connection.
    /// </summary>
    public bool TrySend<T>(
        ReadOnlySpan<byte> encoded, string name, ReplyParser<T> parser, TimeSpan timeout, CancellationToken cancellationToken, out ValueTask<T> reply)
    {
        var command = PendingCommand<T>.Rent(name, parser, timeout);
        bool scheduleSend;
        lock (_sync)
        {
            if (_isClosed)
            {
                command.Abandon();
                reply = default;
                return false;
            }
            _pending.Enqueue(command);
            scheduleSend = _output.Append(encoded);
        }
        if (scheduleSend)
            _output.ScheduleSend();
        reply = command.Reply;
        if (cancellationToken.CanBeCanceled)
            command.RegisterCancellation(cancellationToken);
        return true;
    }

    /// <summary>Closes the socket and fails every command still waiting, naming the reason.</summary>
    public void Close(Exception reason)
    {
        List<PendingCommand> orphans;
        lock (_sync)
        {
            if (_isClosed)
                return;
            _isClosed = true;
            orphans = _pending.DequeueAll();
        }
        _timeoutTimer.Dispose();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer.
        }
        _socket.Dispose();
        foreach (var command in orphans)
        {
            if (command.TryClaim())
                command.CompleteClaimed(Lost(command.Name, reason));
            command.ReleaseFromQueue();
        }
        _closed.TrySetResult(reason);
    }

    private RedisConnectionException Lost(string command, Exception reason) =>
        reason is ObjectDisposedException
            ? new($"The Redis client for {Endpoint} was disposed while {command} waited for its reply.", Endpoint, command, reason)
            : new($"The connection to Redis at {Endpoint} was lost while {command} waited for its reply: {reason.Message}", Endpoint, command, reason);

    private void Start() => _ = ReceiveLoopAsync();

    private async Task HandshakeAsync()
    {
        var replies = new List<Task>();
        var options = _options;
        if (options.Protocol == 3)
        {
            var hello = CommandBuffer.Start("HELLO");
            hello.Add(3);
            if (options.Password is not null)
            {
                hello.AddAscii("AUTH");
                hello.Add(options.User ?? "default");
                hello.Add(options.Password);
            }
            if (options.ClientName is not null)
            {
                hello.AddAscii("SETNAME");
                hello.Add(options.ClientName);
            }
            replies.Add(SendInternal(hello, ReplyParsers.Reply));
        }
        else
        {
            if (options.Password is not null)
            {
                var auth = CommandBuffer.Start("AUTH");
                if (options.User is not null)
                    auth.Add(options.User);
                auth.Add(options.Password);
                replies.Add(SendInternal(auth, ReplyParsers.Ok));
            }
            if (options.ClientName is not null)
            {
                var setName = CommandBuffer.Start("CLIENT SETNAME");
                setName.Add(options.ClientName);
                replies.Add(SendInternal(setName, ReplyParsers.Ok));
            }
        }
        if (options.Database != 0)
        {
            var select = CommandBuffer.Start("SELECT");
            select.Add(options.Database);
            replies.Add(SendInternal(select, ReplyParsers.Ok));
        }
        foreach (var reply in replies)
            await reply;
    }

    private Task SendInternal<T>(CommandBuffer command, ReplyParser<T> parser)
    {
        var sent = TrySend(command.Encoded, command.Name, parser, _options.ConnectTimeout, default, out var reply);
        command.Return();
        return sent ? reply.AsTask() : Task.FromException(new RedisException("The connection closed during the handshake."));
    }

    private async Task ReceiveLoopAsync()
    {
        Exception reason;
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync();
                var buffer = result.Buffer;
                var consumed = ProcessReplies(buffer);
                _input.AdvanceTo(consumed, buffer.End);
                if (result.IsCompleted)
                {
                    reason = new IOException("the server closed the connection");
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            reason = ex;
            // Replies already accepted still reach their callers.
            _dispatcher.Flush();
        }
        await _input.CompleteAsync();
        Close(reason);
    }

    private SequencePosition ProcessReplies(ReadOnlySequence<byte> buffer)
    {
        if (Kind == ConnectionKind.Subscriber)
        {
            while (_scanner.TryScan(buffer, out var length))
            {
                var frame = buffer.Slice(0, length);
                buffer = buffer.Slice(frame.End);
                if (!TryHandlePush(frame))
                    Complete(DequeueOne(), frame);
            }
            _dispatcher.Flush();
            return buffer.Start;
        }

        while (true)
        {
            // Find every whole reply received so far, then take their commands under one lock.
            var frames = 0;
            var commands = 0;
            var rest = buffer;
            while (frames < MaxBatch && _scanner.TryScan(rest, out var length))
            {
                var isPush = FirstByte(rest) == (byte)'>';
                _frameLengths[frames++] = isPush ? -length : length;
                if (!isPush)
                    commands++;
                rest = rest.Slice(length);
            }
            if (frames == 0)
            {
                _dispatcher.Flush();
                return buffer.Start;
            }
            lock (_sync)
            {
                for (var i = 0; i < commands; i++)
                    _batch[i] = _pending.TryDequeue();
            }
            var next = 0;
            try
            {
                for (var i = 0; i < frames; i++)
                {
                    var length = Math.Abs(_frameLengths[i]);
                    var frame = buffer.Slice(0, length);
                    buffer = buffer.Slice(frame.End);
                    if (_frameLengths[i] < 0 && TryHandlePush(frame))
                        continue;
                    var command = next < commands ? _batch[next] : DequeueOne();
                    if (next < commands)
                        _batch[next++] = null;
                    Complete(command, frame);
                }
            }
            catch (Exception ex)
            {
                // Commands taken off the queue are no longer failed by Close: fail them here.
                for (; next < commands; next++)
                {
                    var command = _batch[next]!;
                    _batch[next] = null;
                    if (command.TryClaim())
                        command.CompleteClaimed(Lost(command.Name, ex));
                    command.ReleaseFromQueue();
                }
                throw;
            }
        }
    }

    private PendingCommand? DequeueOne()
    {
        lock (_sync)
            return _pending.TryDequeue();
    }

    private void Complete(PendingCommand? command, in ReadOnlySequence<byte> frame)
    {
        if (command is null)
        {
            if (!IsOpen)
                return;
            throw new RedisException("Redis protocol error: a reply arrived with no command waiting for it.");
        }
        var accepted = command.TryAcceptReply(frame);
        command.ReleaseFromQueue();
        if (accepted)
            _dispatcher.Add(command);
    }

    /// <summary>
    /// Pub/sub messages (RESP3 pushes, or RESP2 arrays on a subscriber connection) go to the push
    /// handler. Subscribe and unsubscribe confirmations are the replies of those commands.
    /// </summary>
    private bool TryHandlePush(in ReadOnlySequence<byte> frame)
    {
        var reader = new RespReader(frame);
        var reply = reader.ReadReply();
        var isPush = reply.Kind == RedisReplyKind.Push;
        if (!isPush && reply.Kind != RedisReplyKind.Array)
            return false;
        var first = reply.Count > 0 ? reply[0].AsString() : null;
        switch (first)
        {
            case "message" or "pmessage" or "smessage":
                _onPush?.Invoke(reply);
                return true;
            case "subscribe" or "psubscribe" or "ssubscribe" or "unsubscribe" or "punsubscribe" or "sunsubscribe":
                return false;
            default:
                // Other pushes (client-side caching invalidations) have no handler here.
                return isPush;
        }
    }

    private void FailExpiredCommands()
    {
        var now = Environment.TickCount64;
        List<PendingCommand>? expired = null;
        lock (_sync)
        {
            // Commands share one time-out per connection, so deadlines grow along the queue.
            for (var i = 0; i < _pending.Count; i++)
            {
                var command = _pending[i];
                if (command.Deadline > now)
                    break;
                if (command.TryClaim())
                    (expired ??= []).Add(command);
            }
        }
        if (expired is null)
            return;
        int inFlight;
        lock (_sync)
            inFlight = _pending.Count;
        foreach (var command in expired)
        {
            command.CompleteClaimed(new RedisTimeoutException(
                $"Redis command {command.Name} got no reply from {Endpoint} within {command.Timeout.TotalMilliseconds:0} ms ({inFlight} commands in flight).",
                Endpoint, command.Name, command.Timeout));
        }
    }

    private static byte FirstByte(in ReadOnlySequence<byte> frame)
    {
        foreach (var segment in frame)
        {
            if (!segment.IsEmpty)
                return segment.Span[0];
        }
        return 0;
    }

    private static void EnableKeepAlive(Socket socket)
    {
        // Finds a peer that vanished without a reset (a dead host) within about a minute.
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 30);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 5);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 5);
        }
        catch (SocketException)
        {
        }
        catch (PlatformNotSupportedException)
        {
        }
    }
}
