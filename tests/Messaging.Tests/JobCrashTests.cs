using System.Text.Json;
using Suite.Testing;

namespace Suite.Messaging.Tests;

public sealed class JobCrashTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_job_whose_worker_is_killed_mid_job_runs_again_as_attempt_2_and_ends_once()
    {
        var kind = JobTestHost.UniqueKind("crash");
        await using var api = await JobTestHost.StartAsync();
        await using var doomed = JobWorkerProcess.Start(api, kind);
        var id = await api.Queue.EnqueueAsync(kind, "alice", new { outputs = 10, delayMs = 100 });
        await Eventually.Until(async () => (await api.EventsAsync(id)).Count(e => e.Type == "output") >= 3, Wait,
            "the worker process wrote some output");

        await doomed.KillAsync();

        var partial = (await api.EventsAsync(id)).Count(e => e.Type == "output");
        Assert.Equal(JobStatus.Running, (await api.Store.GetAsync(id))!.Status);
        // Another worker, with a short visibility timeout, reclaims the dead worker's message.
        await using var rescuer = await JobTestHost.StartAsync(
            JobTestHost.Handler<OutputJobHandler>(kind, o => o.VisibilityTimeout = TimeSpan.FromSeconds(1)), postgres: api.Postgres);
        await Eventually.Until(async () => (await api.Store.GetAsync(id))!.Status == JobStatus.Succeeded, Wait,
            "the rescuer finished the job");

        var events = await api.EventsAsync(id);
        var running = events.Where(e => e.Type == "status" && e.Data.Contains("running")).Select(e => e.Attempt);
        Assert.Equal([1, 2], running);
        await JobCancelTests.AssertOneTerminalAsync(api, id, "succeeded");
        // The dead attempt's partial output stays, tagged attempt 1; attempt 2 wrote the whole output.
        var outputs = events.Where(e => e.Type == "output").ToList();
        Assert.True(outputs.Count(e => e.Attempt == 1) >= partial, doomed.Output);
        Assert.All(outputs.Where(e => e.Attempt == 1), e => Assert.Equal(doomed.ProcessId, Pid(e)));
        Assert.Equal(Enumerable.Range(1, 10), outputs.Where(e => e.Attempt == 2).Select(e => Index(e)));
        var row = await api.Store.GetAsync(id);
        Assert.Equal((JobStatus.Succeeded, 2), (row!.Status, row.Attempt));
        Assert.Equal(events[^1].Id, row.LastEventId);
        Assert.True(await api.RedisClient.TtlAsync(JobStore.StreamKey(id)) > 0, "the stream expires after the end");
        await Eventually.Until(async () => (await api.RedisClient.XPendingAsync("jobs:" + kind, "jobs")).Count == 0, Wait,
            "the reclaimed message is acknowledged");
    }

    private static int Pid(JobEvent e) => JsonDocument.Parse(e.Data).RootElement.GetProperty("pid").GetInt32();

    private static int Index(JobEvent e) => JsonDocument.Parse(e.Data).RootElement.GetProperty("index").GetInt32();
}
