using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using Suite.Redis.Protocol;

namespace Suite.Redis.Connections;

/// <summary>
/// A pooled <see cref="PendingCommand"/> that is also the source of the caller's <see cref="ValueTask{T}"/>,
/// so a command costs no Task allocation. It goes back to the pool when everyone holding it is done:
/// the caller (after reading the result), the connection's queue, and a cancellation registration.
/// </summary>
internal sealed class PendingCommand<T> : PendingCommand, IValueTaskSource<T>, IThreadPoolWorkItem
{
    private const int MaxPooled = 4096;
    private static readonly ConcurrentQueue<PendingCommand<T>> Pool = new();
    private static int s_pooled;

    // A caller usually gives one back (reading its result) and rents the next on the same thread.
    [ThreadStatic]
    private static PendingCommand<T>? t_cached;
    private static readonly Action<object?> OnCancelled = static state => ((PendingCommand<T>)state!).Cancel();

    private ManualResetValueTaskSourceCore<T> _core;
    private ReplyParser<T>? _parser;
    private T _result = default!;
    private Exception? _error;
    private CancellationToken _cancellationToken;
    private CancellationTokenRegistration _registration;
    private bool _registered;
    private int _references;

    private PendingCommand()
    {
    }

    public static PendingCommand<T> Rent(string name, ReplyParser<T> parser, TimeSpan timeout)
    {
        var command = t_cached;
        if (command is not null)
            t_cached = null;
        else if (Pool.TryDequeue(out command))
            Interlocked.Decrement(ref s_pooled);
        else
            command = new PendingCommand<T>();
        command.Name = name;
        command._parser = parser;
        command.Timeout = timeout;
        command.Deadline = timeout == System.Threading.Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        command._references = 2; // the caller and the connection's queue
        command.ResetClaim();
        return command;
    }

    public ValueTask<T> Reply => new(this, _core.Version);

    /// <summary>Registers after the command is queued; the caller's reference keeps it from being reused meanwhile.</summary>
    public void RegisterCancellation(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _references);
        _cancellationToken = cancellationToken;
        _registered = true;
        _registration = cancellationToken.UnsafeRegister(OnCancelled, this);
    }

    /// <summary>Gives back a command that was never queued.</summary>
    public void Abandon()
    {
        _references = 1;
        Release();
    }

    public override bool TryAcceptReply(in ReadOnlySequence<byte> frame)
    {
        if (IsClaimed)
            return false; // timed out or cancelled: the late reply is dropped
        T result = default!;
        Exception? error = null;
        try
        {
            var reader = new RespReader(frame);
            if (reader.TryReadError() is { } errorText)
                error = new RedisServerException(errorText, Name);
            else
                result = _parser!.Parse(ref reader);
        }
        catch (Exception ex)
        {
            error = ex as RedisException ?? new RedisException($"Could not read the reply to {Name}: {ex.Message}", ex);
        }
        if (!TryClaim())
            return false;
        _result = result;
        _error = error;
        return true;
    }

    public override void Deliver()
    {
        // Read the fields first: once the caller has its result this object may be reused.
        var result = _result;
        var error = _error;
        _result = default!;
        _error = null;
        if (error is null)
            _core.SetResult(result);
        else
            _core.SetException(error);
    }

    /// <summary>Errors (time-outs, cancellations, a lost connection) reach the caller on the thread pool, never on the thread that raised them.</summary>
    public override void CompleteClaimed(Exception error)
    {
        _error = error;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void IThreadPoolWorkItem.Execute() => Deliver();

    public override void ReleaseFromQueue() => Release();

    private void Cancel()
    {
        if (TryClaim())
            CompleteClaimed(new OperationCanceledException($"Redis command {Name} was cancelled.", _cancellationToken));
        Release();
    }

    public T GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            if (_registered && _registration.Unregister())
                Release();
            Release();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0)
            return;
        _core.Reset();
        _parser = null;
        _registration = default;
        _registered = false;
        _cancellationToken = default;
        if (t_cached is null)
        {
            t_cached = this;
            return;
        }
        if (Interlocked.Increment(ref s_pooled) <= MaxPooled)
            Pool.Enqueue(this);
        else
            Interlocked.Decrement(ref s_pooled);
    }
}
