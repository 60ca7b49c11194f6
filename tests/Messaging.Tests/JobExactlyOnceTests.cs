namespace Suite.Messaging.Tests;

public sealed class JobExactlyOnceTests
{
    [Fact]
    public async Task A_reclaimed_duplicate_takes_over_and_the_zombie_attempt_can_neither_write_nor_end_the_job()
    {
        await using var host = await JobTestHost.StartAsync();
        var zombie = await JobTestProducer.CreateAsync(host, "alice");
        await zombie.StartAsync(deliveryAttempt: 1);
        await zombie.OutputAsync(new { index = 1 });
        var duplicate = new JobTestProducer(host.Store, zombie.JobId, "alice");

        await duplicate.StartAsync(deliveryAttempt: 2);
        var stopped = zombie.Context;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => zombie.OutputAsync(new { index = 2 }));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopped.CompleteAsync(new { by = "zombie" }));
        await duplicate.OutputAsync(new { index = 1 });
        await duplicate.CompleteAsync(new { by = "duplicate" });
        var (_, _, ended) = await host.Store.Streams.StartAsync(zombie.JobId, 3, CancellationToken.None);

        Assert.Equal(JobStatus.Succeeded, ended!.Status);
        Assert.Equal(2, ended.Attempt);
        await JobCancelTests.AssertOneTerminalAsync(host, zombie.JobId, "succeeded");
        var events = await host.EventsAsync(zombie.JobId);
        Assert.Equal([0, 1, 1, 2, 2, 2, 2], events.Select(e => e.Attempt));
        var row = await host.Store.GetAsync(zombie.JobId);
        Assert.Equal((JobStatus.Succeeded, 2), (row!.Status, row.Attempt));
        Assert.Contains("duplicate", row.ResultSummary!.Value.GetRawText());
    }

    [Fact]
    public async Task Racing_ends_write_one_terminal_status_and_change_the_row_once()
    {
        await using var host = await JobTestHost.StartAsync();
        var job = await JobTestProducer.CreateAsync(host, "alice");
        await job.StartAsync();
        var statuses = new[] { JobStatus.Succeeded, JobStatus.Failed, JobStatus.Cancelled };

        var ends = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            host.Store.Streams.FinishAsync(job.JobId, i % 2 == 0 ? 1 : -1, statuses[i % 3], null, null, null, null, CancellationToken.None)));
        var updates = await Task.WhenAll(ends.Select(e => host.Store.Table.MarkEndedAsync(job.JobId, e!, CancellationToken.None)));

        Assert.Single(ends.Select(e => (e!.Status, e.TerminalEventId)).Distinct());
        Assert.Equal(1, updates.Count(changed => changed));
        await JobCancelTests.AssertOneTerminalAsync(host, job.JobId, ends[0]!.Status.ToString().ToLowerInvariant());
        Assert.Equal(ends[0]!.Status, (await host.Store.GetAsync(job.JobId))!.Status);
    }
}
