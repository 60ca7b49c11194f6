using Suite.Messaging;

namespace Suite.Messaging.TestWorker;

/// <summary>
/// Writes <see cref="SlowOutputInput.Outputs"/> outputs, one every <see cref="SlowOutputInput.DelayMs"/>,
/// each naming this process, then completes with the count: slow enough to be killed part-way.
/// </summary>
public sealed class SlowOutputHandler : IJobHandler
{
    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var input = context.GetInput<SlowOutputInput>() ?? new SlowOutputInput(10, 100);
        for (var i = 1; i <= input.Outputs; i++)
        {
            await context.WriteOutputAsync(new { index = i, pid = Environment.ProcessId }, cancellationToken);
            await Task.Delay(input.DelayMs, cancellationToken);
        }
        await context.CompleteAsync(new { count = input.Outputs, pid = Environment.ProcessId }, cancellationToken);
    }
}
