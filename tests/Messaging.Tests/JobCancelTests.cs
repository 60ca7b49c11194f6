using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Suite.Testing;

namespace Suite.Messaging.Tests;

public sealed class JobCancelTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Cancelling_a_running_job_fires_its_handlers_token_within_a_second_and_ends_it_cancelled()
    {
        var kind = JobTestHost.UniqueKind("cancel");
        var probe = new JobProbe();
        await using var host = await JobTestHost.StartAsync(b =>
        {
            b.Services.AddSingleton(probe);
            JobTestHost.Handler<WaitForCancelJobHandler>(kind)(b);
        });
        using var client = host.Client("alice");
        var id = await host.Queue.EnqueueAsync(kind, "alice", new { });
        await probe.WhenStarted(id).WaitAsync(Wait);

        var asked = Stopwatch.GetTimestamp();
        var response = await client.PostAsync($"/v1/jobs/{id}/cancel", null);
        var tokenFired = await probe.WhenCancelled(id).WaitAsync(Wait);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.True(Stopwatch.GetElapsedTime(asked, tokenFired) < TimeSpan.FromSeconds(1), $"the token fired after {Stopwatch.GetElapsedTime(asked, tokenFired)}");
        var job = await JobApiTests.WaitForStatusAsync(client, id, "cancelled");
        Assert.Equal("cancelled", job.GetProperty("error").GetProperty("code").GetString());
        await AssertOneTerminalAsync(host, id, "cancelled");
        // Cancelling again is harmless; the events stream ends with the cancel.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/v1/jobs/{id}/cancel", null)).StatusCode);
        await using var sse = await SseTestClient.OpenAsync(client, id);
        Assert.Equal("cancelled", (await sse.ReadToEndAsync(Wait))[^1].Json.GetProperty("data").GetProperty("status").GetString());
        await AssertOneTerminalAsync(host, id, "cancelled");
    }

    [Fact]
    public async Task A_worker_that_missed_the_cancel_message_stops_within_a_second_by_the_flag_it_polls()
    {
        var kind = JobTestHost.UniqueKind("poll");
        var probe = new JobProbe();
        await using var host = await JobTestHost.StartAsync(b =>
        {
            b.Services.AddSingleton(probe);
            JobTestHost.Handler<WaitForCancelJobHandler>(kind)(b);
        });
        using var client = host.Client("alice");
        var id = await host.Queue.EnqueueAsync(kind, "alice", new { });
        await probe.WhenStarted(id).WaitAsync(Wait);

        // A cancel whose pub/sub message was lost: only the job's state says so.
        var asked = Stopwatch.GetTimestamp();
        var ended = await host.Store.Streams.FinishAsync(id, -1, JobStatus.Cancelled, null, null, null, null, CancellationToken.None);
        var tokenFired = await probe.WhenCancelled(id).WaitAsync(Wait);

        Assert.NotNull(ended);
        Assert.True(Stopwatch.GetElapsedTime(asked, tokenFired) < TimeSpan.FromSeconds(1), $"the token fired after {Stopwatch.GetElapsedTime(asked, tokenFired)}");
        await JobApiTests.WaitForStatusAsync(client, id, "cancelled");
        await AssertOneTerminalAsync(host, id, "cancelled");
    }

    [Fact]
    public async Task A_job_cancelled_while_queued_is_never_run_and_a_finished_job_cannot_be_cancelled()
    {
        var kind = JobTestHost.UniqueKind("queued");
        var probe = new JobProbe();
        await using var api = await JobTestHost.StartAsync(JobTestHost.Handler<OutputJobHandler>(JobTestHost.UniqueKind("other")));
        using var client = api.Client("alice");
        var id = await api.Queue.EnqueueAsync(kind, "alice", new { });
        var done = await api.Queue.EnqueueAsync(kind, "alice", new { });

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/v1/jobs/{id}/cancel", null)).StatusCode);
        // Finished some other way: ended through the store as a worker would.
        var producer = new JobTestProducer(api.Store, done, "alice");
        await producer.StartAsync();
        await producer.CompleteAsync();

        var conflict = await client.PostAsync($"/v1/jobs/{done}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("job_finished", (await conflict.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());

        // A worker comes up later and receives the messages of both: it runs neither.
        await using var worker = await JobTestHost.StartAsync(b =>
        {
            b.Services.AddSingleton(probe);
            JobTestHost.Handler<WaitForCancelJobHandler>(kind)(b);
        }, postgres: api.Postgres);
        await Eventually.Until(async () =>
        {
            var groups = await api.RedisClient.XInfoGroupsAsync("jobs:" + kind);
            return groups.Count == 1 && groups[0].Pending == 0 && groups[0].Lag == 0;
        }, Wait, "the worker took and acknowledged both messages");
        Assert.False(probe.WhenStarted(id).IsCompleted);
        Assert.False(probe.WhenStarted(done).IsCompleted);
        await AssertOneTerminalAsync(api, id, "cancelled");
        await AssertOneTerminalAsync(api, done, "succeeded");
    }

    internal static async Task AssertOneTerminalAsync(JobTestHost host, string id, string status)
    {
        var events = await host.EventsAsync(id);
        var terminal = events.Where(e => e.Type == "status" && JsonDocument.Parse(e.Data).RootElement.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled").ToList();
        Assert.Single(terminal);
        Assert.Equal(events[^1], terminal[0]);
        Assert.Contains($"\"{status}\"", terminal[0].Data);
    }
}
