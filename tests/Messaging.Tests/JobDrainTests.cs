using Suite.Testing;

namespace Suite.Messaging.Tests;

public sealed class JobDrainTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Sigterm_lets_the_worker_finish_its_in_flight_job_before_it_exits()
    {
        var kind = JobTestHost.UniqueKind("drain");
        await using var api = await JobTestHost.StartAsync();
        await using var worker = JobWorkerProcess.Start(api, kind);
        var id = await api.Queue.EnqueueAsync(kind, "alice", new { outputs = 10, delayMs = 100 });
        await Eventually.Until(async () => (await api.EventsAsync(id)).Any(e => e.Type == "output"), Wait, "the job is running");

        await worker.TerminateAsync(Wait);

        var job = await api.Store.GetAsync(id);
        Assert.True(job!.Status == JobStatus.Succeeded, worker.Output);
        Assert.Equal(1, job.Attempt);
        Assert.Equal(0, worker.ExitCode);
        await JobCancelTests.AssertOneTerminalAsync(api, id, "succeeded");
        Assert.Equal(0, (await api.RedisClient.XPendingAsync("jobs:" + kind, "jobs")).Count);
    }

    [Fact]
    public async Task Sigterm_past_the_drain_timeout_leaves_the_job_pending_and_another_worker_finishes_it()
    {
        var kind = JobTestHost.UniqueKind("handoff");
        await using var api = await JobTestHost.StartAsync();
        await using var worker = JobWorkerProcess.Start(api, kind, new Dictionary<string, string?>
        {
            ["Suite__DrainTimeout"] = "00:00:00.500",
            ["Worker__DrainTimeout"] = "00:00:00.500",
        });
        var id = await api.Queue.EnqueueAsync(kind, "alice", new { outputs = 100, delayMs = 100 });
        await Eventually.Until(async () => (await api.EventsAsync(id)).Any(e => e.Type == "output"), Wait, "the job is running");

        await worker.TerminateAsync(Wait);

        // Not failed, not lost: still running as far as anyone knows, its message pending.
        Assert.True((await api.Store.GetAsync(id))!.Status == JobStatus.Running, worker.Output);
        Assert.Equal(1, (await api.RedisClient.XPendingAsync("jobs:" + kind, "jobs")).Count);
        await using var rescuer = await JobTestHost.StartAsync(
            JobTestHost.Handler<OutputJobHandler>(kind, o => o.VisibilityTimeout = TimeSpan.FromSeconds(1)), postgres: api.Postgres);
        // The rescuer runs the whole job again (100 × 100 ms would be slow): cancel it once it is attempt 2.
        await Eventually.Until(async () => (await api.Store.GetAsync(id))!.Attempt == 2, Wait, "another worker took the job over");
        await api.Store.CancelAsync(id);

        await Eventually.Until(async () => (await api.RedisClient.XPendingAsync("jobs:" + kind, "jobs")).Count == 0, Wait,
            "the job's message is acknowledged");
        await JobCancelTests.AssertOneTerminalAsync(api, id, "cancelled");
        Assert.Equal((JobStatus.Cancelled, 2), ((await api.Store.GetAsync(id))!.Status, (await api.Store.GetAsync(id))!.Attempt));
    }
}
