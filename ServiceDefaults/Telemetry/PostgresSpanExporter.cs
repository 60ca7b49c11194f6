using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OpenTelemetry;

namespace Suite.ServiceDefaults;

/// <summary>
/// Exports finished spans to <c>telemetry.spans</c> in batches from a background task. A request
/// only pays for copying its span into a bounded queue: when the queue is full, or PostgreSQL is
/// down and a batch fails, spans are dropped and counted (<see cref="DroppedSpans"/> and the
/// <c>suite.telemetry.spans.dropped</c> counter), never held without bound.
/// </summary>
/// <remarks>
/// A processor rather than an exporter behind the SDK's batch processor, because that processor
/// neither reports what it drops nor lets the copy out of the Activity happen before queueing.
/// </remarks>
public sealed partial class PostgresSpanExporter : BaseProcessor<Activity>
{
    private readonly TelemetryOptions _options;
    private readonly SpanWriter? _writer;
    private readonly ILogger _logger;
    private readonly Channel<SpanRecord> _queue;
    private readonly Counter<long> _droppedCounter;
    private readonly Counter<long> _exportedCounter;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abandon = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource? _flushed;
    private Task? _loop;
    private int _wakePending;
    private long _dropped;
    private long _exported;
    private bool _failing;
    private bool _disposed;

    internal PostgresSpanExporter(TelemetryOptions options, string? connectionString, string service, IMeterFactory meters, ILogger<PostgresSpanExporter> logger)
    {
        _options = options;
        _logger = logger;
        if (options.ExportToPostgres && !string.IsNullOrWhiteSpace(connectionString))
        {
            _writer = new SpanWriter(connectionString, service, options.MaxAttributeLength, logger);
        }

        _queue = Channel.CreateBounded<SpanRecord>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once instead of evicting
        });
        var meter = meters.Create(SuiteTelemetry.MeterName);
        _droppedCounter = meter.CreateCounter<long>(SuiteTelemetry.SpansDroppedCounter, "{span}", "Spans dropped because the export queue was full or PostgreSQL failed.");
        _exportedCounter = meter.CreateCounter<long>(SuiteTelemetry.SpansExportedCounter, "{span}", "Spans written to PostgreSQL.");
    }

    /// <summary>Whether a connection string is configured, so spans are exported at all.</summary>
    public bool Enabled => _writer is not null;

    /// <summary>Spans dropped so far.</summary>
    public long DroppedSpans => Interlocked.Read(ref _dropped);

    /// <summary>Spans written so far.</summary>
    public long ExportedSpans => Interlocked.Read(ref _exported);

    /// <summary>Spans waiting in the queue.</summary>
    public int QueuedSpans => _queue.Reader.Count;

    /// <inheritdoc />
    public override void OnEnd(Activity activity)
    {
        if (!activity.Recorded || _writer is null)
        {
            return;
        }

        if (!_queue.Writer.TryWrite(SpanRecord.From(activity)))
        {
            Drop(1);
            return;
        }

        if (_queue.Reader.Count >= _options.BatchSize)
        {
            Wake();
        }
    }

    internal void Start()
    {
        lock (_gate)
        {
            if (_writer is not null && _loop is null && !_disposed)
            {
                _loop = Task.Run(RunAsync);
            }
        }
    }

    /// <inheritdoc />
    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        if (_loop is null || _loop.IsCompleted)
        {
            return true;
        }

        Task flushed;
        lock (_gate)
        {
            flushed = (_flushed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        Wake();
        return flushed.Wait(timeoutMilliseconds);
    }

    /// <inheritdoc />
    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        _stop.Cancel();
        if (_loop is null || _loop.Wait(timeoutMilliseconds))
        {
            return true;
        }

        _abandon.Cancel();
        return false;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        if (disposing)
        {
            OnShutdown(5000);
            _writer?.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task RunAsync()
    {
        // The exporter's own COPY must not become spans that it then exports.
        using var suppress = SuppressInstrumentationScope.Begin();
        var batch = new List<SpanRecord>(_options.BatchSize);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_options.ExportInterval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            Interlocked.Exchange(ref _wakePending, 0);
            TaskCompletionSource? flushed;
            lock (_gate)
            {
                (flushed, _flushed) = (_flushed, null);
            }

            await ExportQueuedAsync(batch, _stop.Token);
            flushed?.TrySetResult();
        }

        // Shutting down: one last pass over what is queued, bounded by the caller's wait; not worth
        // a connection time-out when the database is already known to be down.
        if (_failing)
        {
            Drop(DrainQueue());
        }
        else
        {
            await ExportQueuedAsync(batch, _abandon.Token);
        }

        lock (_gate)
        {
            _flushed?.TrySetResult();
        }
    }

    private async Task ExportQueuedAsync(List<SpanRecord> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < _options.BatchSize && _queue.Reader.TryRead(out var span))
            {
                batch.Add(span);
            }

            if (batch.Count == 0)
            {
                return;
            }

            if (!await TryWriteAsync(batch, cancellationToken))
            {
                // The rest of the queue would fail the same way; it waits for the next round,
                // and what arrives meanwhile is dropped once the queue is full.
                Drop(batch.Count);
                return;
            }

            Interlocked.Add(ref _exported, batch.Count);
            _exportedCounter.Add(batch.Count);
        }
    }

    private async Task<bool> TryWriteAsync(List<SpanRecord> batch, CancellationToken cancellationToken)
    {
        try
        {
            await _writer!.WriteAsync(batch, cancellationToken);
            if (_failing)
            {
                _failing = false;
                LogRecovered(_logger);
            }

            return true;
        }
        catch (Exception ex)
        {
            // Whatever went wrong, the loop must live on: a dead exporter would drop spans silently forever.
            if (!_failing && !cancellationToken.IsCancellationRequested)
            {
                _failing = true;
                LogFailing(_logger, ex.GetType().Name, ex.Message);
            }

            return false;
        }
    }

    private int DrainQueue()
    {
        var count = 0;
        while (_queue.Reader.TryRead(out _))
        {
            count++;
        }

        return count;
    }

    private void Wake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            _wake.Release();
        }
    }

    private void Drop(int count)
    {
        Interlocked.Add(ref _dropped, count);
        _droppedCounter.Add(count);
    }

    [LoggerMessage(LogLevel.Warning, "Span export to PostgreSQL failing, dropping spans until it recovers: {Error}: {Message}")]
    private static partial void LogFailing(ILogger logger, string error, string message);

    [LoggerMessage(LogLevel.Information, "Span export to PostgreSQL recovered")]
    private static partial void LogRecovered(ILogger logger);
}
