using System.Text.Json;

namespace Suite.Messaging.Tests;

/// <summary>
/// Writes a job's stream the way a worker does (its <see cref="JobContext"/>), without a bus consumer, so
/// that SSE tests control exactly when each event is written.
/// </summary>
internal sealed class JobTestProducer(JobStore store, string jobId, string owner)
{
    private JobContext? _context;

    public string JobId => jobId;

    /// <summary>Enqueues a job of a kind nobody consumes, and returns its producer.</summary>
    public static async Task<JobTestProducer> CreateAsync(JobTestHost host, string owner)
    {
        var id = await host.Queue.EnqueueAsync(JobTestHost.UniqueKind("manual"), owner, new { });
        return new JobTestProducer(host.Store, id, owner);
    }

    public JobContext Context => _context ?? throw new InvalidOperationException("Start first.");

    /// <summary>Starts attempt <paramref name="deliveryAttempt"/> as the worker does (stream and row).</summary>
    public async Task StartAsync(int deliveryAttempt = 1)
    {
        var (attempt, eventId, _) = await store.Streams.StartAsync(jobId, deliveryAttempt, CancellationToken.None);
        await store.Table.MarkRunningAsync(jobId, attempt, eventId, CancellationToken.None);
        _context = new JobContext(store.Streams, new JobMessage(jobId, "manual", owner, default(JsonElement)), attempt, new CancellationTokenSource(), 4096);
    }

    public Task OutputAsync(object data) => Context.WriteOutputAsync(data);

    /// <summary>Completes the job as the worker does: terminal events, then the row.</summary>
    public async Task CompleteAsync(object? result = null)
    {
        await Context.CompleteAsync(result);
        await store.Table.MarkEndedAsync(jobId, Context.Ended!, CancellationToken.None);
    }
}
