namespace Suite.ServiceDefaults;

/// <summary>
/// Whether this instance is draining, and how many requests it is still serving. Anything that
/// takes work (HTTP requests, bus consumers) checks <see cref="IsDraining"/> or watches
/// <see cref="Draining"/> and stops taking new work once a drain begins.
/// </summary>
public sealed class DrainState
{
    // Never disposed: it has no timer, and consumers may read the token during shutdown.
    private readonly CancellationTokenSource _draining = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;

    /// <summary>True once a drain has begun; it never goes back.</summary>
    public bool IsDraining => _draining.IsCancellationRequested;

    /// <summary>Cancelled when the drain begins.</summary>
    public CancellationToken Draining => _draining.Token;

    /// <summary>Requests (or other units of work) that entered and have not left yet.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Starts the drain: <c>/health</c> answers 503 "draining", new work is refused, and the host
    /// stops once in-flight work is done (after <c>Suite:DrainDelay</c>) or <c>Suite:DrainTimeout</c>
    /// has passed. SIGTERM calls this through the host's stop; calling it again does nothing.
    /// </summary>
    public void BeginDrain()
    {
        _draining.Cancel();
        if (InFlight == 0)
        {
            _idle.TrySetResult();
        }
    }

    /// <summary>
    /// Counts one unit of work in, unless the instance is draining. Every successful call must be
    /// paired with <see cref="Exit"/>.
    /// </summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref _inFlight);
        if (!IsDraining)
        {
            return true;
        }

        Exit();
        return false;
    }

    /// <summary>Counts one unit of work out.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && IsDraining)
        {
            _idle.TrySetResult();
        }
    }

    /// <summary>Completes when the drain has begun and no work is in flight.</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default) => _idle.Task.WaitAsync(cancellationToken);
}
