using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Suite.ServiceDefaults;

namespace Suite.Messaging.Tests;

public sealed class SseResumeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Events_replay_the_history_then_follow_live_and_the_stream_closes_after_the_terminal_event()
    {
        await using var host = await JobTestHost.StartAsync();
        using var client = host.Client("alice");
        var job = await JobTestProducer.CreateAsync(host, "alice");
        await job.StartAsync();
        for (var i = 1; i <= 3; i++)
            await job.OutputAsync(new { index = i });

        await using var sse = await SseTestClient.OpenAsync(client, job.JobId);
        Assert.Equal(HttpStatusCode.OK, sse.StatusCode);
        Assert.Equal("text/event-stream", sse.Response.Content.Headers.ContentType?.MediaType);
        var replayed = new List<SseFrame>();
        for (var i = 0; i < 5; i++)
            replayed.Add((await sse.NextEventAsync(Wait))!);
        await job.OutputAsync(new { index = 4 });
        var live = await sse.NextEventAsync(Wait);
        await job.CompleteAsync(new { answer = 42 });
        var rest = await sse.ReadToEndAsync(Wait);

        var stored = await host.EventsAsync(job.JobId);
        Assert.Equal(stored.Select(e => e.Id), replayed.Append(live!).Concat(rest).Select(f => f.Id));
        Assert.Equal(["status", "status", "output", "output", "output", "output", "result", "status"], stored.Select(e => e.Type));
        Assert.Equal(["status", "status", "output", "output", "output"], replayed.Select(f => f.Event));
        Assert.Equal((0, "queued"), (replayed[0].Attempt, replayed[0].Json.GetProperty("data").GetProperty("status").GetString()));
        Assert.Equal(4, live!.Json.GetProperty("data").GetProperty("index").GetInt32());
        Assert.Equal(("output", 1), (live.Json.GetProperty("type").GetString(), live.Attempt));
        Assert.Equal(42, rest[0].Json.GetProperty("data").GetProperty("answer").GetInt32());
        Assert.Equal("succeeded", rest[^1].Json.GetProperty("data").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Reconnecting_resumes_strictly_after_the_last_event_seen_with_no_gap_and_no_duplicate(bool withHeader)
    {
        await using var host = await JobTestHost.StartAsync();
        using var client = host.Client("alice");
        var job = await JobTestProducer.CreateAsync(host, "alice");
        await job.StartAsync();
        for (var i = 1; i <= 5; i++)
            await job.OutputAsync(new { index = i });

        var seen = new List<SseFrame>();
        await using (var first = await SseTestClient.OpenAsync(client, job.JobId))
        {
            for (var i = 0; i < 4; i++)
                seen.Add((await first.NextEventAsync(Wait))!);
        }
        // Written while the client is away.
        for (var i = 6; i <= 8; i++)
            await job.OutputAsync(new { index = i });
        var last = seen[^1].Id!;
        await using (var second = withHeader
            ? await SseTestClient.OpenAsync(client, job.JobId, lastEventId: last)
            : await SseTestClient.OpenAsync(client, job.JobId, query: "?after=" + last))
        {
            for (var i = 0; i < 6; i++)
                seen.Add((await second.NextEventAsync(Wait))!);
            await job.OutputAsync(new { index = 9 });
            seen.Add((await second.NextEventAsync(Wait))!);
            // And once more, from the middle of the live part.
        }
        await job.CompleteAsync();
        await using (var third = await SseTestClient.OpenAsync(client, job.JobId, lastEventId: seen[^1].Id))
            seen.AddRange(await third.ReadToEndAsync(Wait));

        var stored = await host.EventsAsync(job.JobId);
        Assert.Equal(stored.Select(e => e.Id), seen.Select(f => f.Id));
        Assert.Equal(Enumerable.Range(1, 9), seen.Where(f => f.Event == "output").Select(f => f.Json.GetProperty("data").GetProperty("index").GetInt32()));
    }

    [Fact]
    public async Task Resuming_after_the_terminal_event_closes_at_once_and_a_bad_resume_point_is_a_400()
    {
        await using var host = await JobTestHost.StartAsync();
        using var client = host.Client("alice");
        var job = await JobTestProducer.CreateAsync(host, "alice");
        await job.StartAsync();
        await job.CompleteAsync();
        var stored = await host.EventsAsync(job.JobId);

        await using (var sse = await SseTestClient.OpenAsync(client, job.JobId, lastEventId: stored[^1].Id))
        {
            Assert.Equal(HttpStatusCode.OK, sse.StatusCode);
            Assert.Empty(await sse.ReadToEndAsync(Wait));
        }

        var malformed = await client.GetAsync($"/v1/jobs/{job.JobId}/events?after=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("after", (await malformed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("param").GetString());
        await using var ahead = await SseTestClient.OpenAsync(client, job.JobId, lastEventId: "99999999999999-0");
        Assert.Equal(HttpStatusCode.BadRequest, ahead.StatusCode);
    }

    [Fact]
    public async Task A_resume_point_older_than_the_kept_history_answers_410_and_says_why()
    {
        await using var host = await JobTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Jobs:MaxEventsPerJob"] = "10" });
        using var client = host.Client("alice");
        var job = await JobTestProducer.CreateAsync(host, "alice");
        await job.StartAsync();
        await job.OutputAsync(new { index = 1 });
        var early = (await host.EventsAsync(job.JobId))[^1].Id;
        for (var i = 2; i <= 400; i++)
            await job.OutputAsync(new { index = i });
        var kept = await host.EventsAsync(job.JobId);
        Assert.True(kept.Count < 400, "the stream was trimmed");

        var gone = await client.GetAsync($"/v1/jobs/{job.JobId}/events?after={early}");
        await using var goneByHeader = await SseTestClient.OpenAsync(client, job.JobId, lastEventId: early);

        Assert.Equal(HttpStatusCode.Gone, goneByHeader.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        var error = (await gone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("events_trimmed", error.GetProperty("code").GetString());
        Assert.Contains(kept[0].Id, error.GetProperty("message").GetString());
        // Resuming inside what is kept works.
        await using var resumed = await SseTestClient.OpenAsync(client, job.JobId, lastEventId: kept[5].Id);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal(kept[6].Id, (await resumed.NextEventAsync(Wait))!.Id);
        // A fresh client gets what is kept, and is told that older events are gone.
        await using var fresh = await SseTestClient.OpenAsync(client, job.JobId);
        var note = await fresh.NextAsync(Wait);
        Assert.True(note!.IsComment);
        Assert.Contains("trimmed", note.Comment);
        Assert.Equal(kept[0].Id, (await fresh.NextEventAsync(Wait))!.Id);
    }

    [Fact]
    public async Task A_finished_jobs_stream_expires_after_the_configured_time_then_its_events_answer_410_and_its_status_stays()
    {
        await using var host = await JobTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Jobs:StreamExpiry"] = "00:10:00" });
        using var client = host.Client("alice");
        var job = await JobTestProducer.CreateAsync(host, "alice");
        await job.StartAsync();
        var key = JobStore.StreamKey(job.JobId);
        Assert.Equal(-1, await host.RedisClient.TtlAsync(key));

        await job.CompleteAsync(new { done = true });

        Assert.InRange(await host.RedisClient.TtlAsync(key), 590, 600);
        Assert.InRange(await host.RedisClient.TtlAsync(key + ":state"), 590, 600);
        // What EXPIRE does when the time comes.
        await host.RedisClient.DelAsync(key);
        var gone = await client.GetAsync($"/v1/jobs/{job.JobId}/events");
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Equal("events_expired", (await gone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        var status = await client.GetFromJsonAsync<JsonElement>($"/v1/jobs/{job.JobId}");
        Assert.Equal("succeeded", status.GetProperty("status").GetString());
        Assert.True(status.GetProperty("result").GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task An_idle_stream_sends_keep_alive_comments()
    {
        await using var host = await JobTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Jobs:KeepAliveInterval"] = "00:00:00.200" });
        using var client = host.Client("alice");
        var job = await JobTestProducer.CreateAsync(host, "alice");
        await job.StartAsync();

        await using var sse = await SseTestClient.OpenAsync(client, job.JobId);
        Assert.Equal("status", (await sse.NextAsync(Wait))!.Event);
        Assert.Equal("status", (await sse.NextAsync(Wait))!.Event);
        var idle = await sse.NextAsync(Wait);
        var again = await sse.NextAsync(Wait);
        await job.OutputAsync(new { index = 1 });
        var output = await sse.NextEventAsync(Wait);

        Assert.Equal("keep-alive", idle!.Comment);
        Assert.Equal("keep-alive", again!.Comment);
        Assert.Equal("output", output!.Event);
    }

    [Fact]
    public async Task A_draining_instance_ends_its_streams_so_that_clients_resume_on_another_replica()
    {
        var drain = new DrainState();
        await using var host = await JobTestHost.StartAsync(b => b.Services.AddSingleton(drain));
        using var client = host.Client("alice");
        var job = await JobTestProducer.CreateAsync(host, "alice");
        await job.StartAsync();
        await using var sse = await SseTestClient.OpenAsync(client, job.JobId);
        await sse.NextEventAsync(Wait);
        var last = await sse.NextEventAsync(Wait);

        drain.BeginDrain();

        Assert.Null(await sse.NextEventAsync(Wait));
        await job.OutputAsync(new { index = 1 });
        await using var replica = await JobTestHost.StartAsync(postgres: host.Postgres);
        using var replicaClient = replica.Client("alice");
        await using var elsewhere = await SseTestClient.OpenAsync(replicaClient, job.JobId, lastEventId: last!.Id);
        Assert.Equal("output", (await elsewhere.NextEventAsync(Wait))!.Event);
    }
}
