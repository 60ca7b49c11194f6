using System.Collections.Concurrent;
using System.Diagnostics;

namespace Suite.Messaging.Tests;

/// <summary>The input of the test handlers.</summary>
internal sealed record JobTestInput(int Outputs = 3, int DelayMs = 0, string? FailWith = null);

/// <summary>Writes <see cref="JobTestInput.Outputs"/> outputs with a delay between them, then completes (or fails when asked).</summary>
internal sealed class OutputJobHandler : IJobHandler
{
    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var input = context.GetInput<JobTestInput>()!;
        await context.ReportProgressAsync(0, "starting", cancellationToken);
        for (var i = 1; i <= input.Outputs; i++)
        {
            await context.WriteOutputAsync(new { index = i }, cancellationToken);
            if (input.DelayMs > 0)
                await Task.Delay(input.DelayMs, cancellationToken);
        }
        if (input.FailWith is { } reason)
            throw new JobFailedException(reason, "test_failure");
        await context.CompleteAsync(new { count = input.Outputs }, cancellationToken);
    }
}

/// <summary>Runs until cancelled, and records when its token fired.</summary>
internal sealed class WaitForCancelJobHandler(JobProbe probe) : IJobHandler
{
    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        await context.WriteOutputAsync(new { waiting = true }, cancellationToken);
        probe.Started(context.JobId);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.Cancelled(context.JobId);
            throw;
        }
    }
}

/// <summary>Throws an unexpected exception.</summary>
internal sealed class CrashingJobHandler : IJobHandler
{
    public Task RunAsync(JobContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("secret connection string Password=hunter2");
}

/// <summary>What the test handlers saw, per job: when they started, and when their token fired.</summary>
internal sealed class JobProbe
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _started = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _cancelled = new();

    public void Started(string jobId) => Get(_started, jobId).TrySetResult(Stopwatch.GetTimestamp());

    public void Cancelled(string jobId) => Get(_cancelled, jobId).TrySetResult(Stopwatch.GetTimestamp());

    public Task<long> WhenStarted(string jobId) => Get(_started, jobId).Task;

    public Task<long> WhenCancelled(string jobId) => Get(_cancelled, jobId).Task;

    private static TaskCompletionSource<long> Get(ConcurrentDictionary<string, TaskCompletionSource<long>> map, string jobId) =>
        map.GetOrAdd(jobId, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
}
