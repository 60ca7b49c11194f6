using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Suite.Testing;

namespace Suite.Messaging.Tests;

public sealed class JobApiTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task An_enqueued_job_runs_on_a_worker_and_its_status_shows_the_result()
    {
        var kind = JobTestHost.UniqueKind("output");
        await using var host = await JobTestHost.StartAsync(JobTestHost.Handler<OutputJobHandler>(kind));
        using var client = host.Client("alice");

        var id = await host.Queue.EnqueueAsync(kind, "alice", new JobTestInput(Outputs: 3));

        Assert.True(JobId.IsValid(id));
        var job = await WaitForStatusAsync(client, id, "succeeded");
        Assert.Equal("job", job.GetProperty("object").GetString());
        Assert.Equal(kind, job.GetProperty("kind").GetString());
        Assert.Equal(1, job.GetProperty("attempt").GetInt32());
        Assert.Equal(3, job.GetProperty("result").GetProperty("count").GetInt32());
        Assert.True(job.GetProperty("finished_at").GetInt64() >= job.GetProperty("created_at").GetInt64());
        var events = await host.EventsAsync(id);
        Assert.Equal(
            ["status", "status", "progress", "output", "output", "output", "result", "status"],
            events.Select(e => e.Type));
        Assert.Equal(["queued", "running", "succeeded"], events.Where(e => e.Type == "status").Select(e => Status(e)));
        Assert.Equal(events[^1].Id, job.GetProperty("last_event_id").GetString());
        Assert.All(events.Skip(1), e => Assert.Equal(1, e.Attempt));
    }

    [Fact]
    public async Task A_job_that_fails_ends_failed_with_its_message_and_an_unexpected_exception_is_not_shown()
    {
        var kind = JobTestHost.UniqueKind("fail");
        var crashKind = JobTestHost.UniqueKind("crash");
        await using var host = await JobTestHost.StartAsync(b =>
        {
            JobTestHost.Handler<OutputJobHandler>(kind)(b);
            JobTestHost.Handler<CrashingJobHandler>(crashKind)(b);
        });
        using var client = host.Client("alice");

        var failing = await host.Queue.EnqueueAsync(kind, "alice", new JobTestInput(Outputs: 1, FailWith: "The model is unavailable."));
        var crashing = await host.Queue.EnqueueAsync(crashKind, "alice", new JobTestInput());

        var failed = await WaitForStatusAsync(client, failing, "failed");
        Assert.Equal("The model is unavailable.", failed.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("test_failure", failed.GetProperty("error").GetProperty("code").GetString());
        var crashed = await WaitForStatusAsync(client, crashing, "failed");
        Assert.Equal("handler_error", crashed.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain("hunter2", crashed.GetRawText());
        var events = await host.EventsAsync(crashing);
        Assert.Equal(["error", "status"], events.TakeLast(2).Select(e => e.Type));
        Assert.DoesNotContain(events, e => e.Data.Contains("hunter2"));
    }

    [Fact]
    public async Task A_caller_sees_only_its_own_jobs_and_an_anonymous_caller_gets_401()
    {
        await using var host = await JobTestHost.StartAsync();
        using var alice = host.Client("alice");
        using var bob = host.Client("bob");
        using var anonymous = host.Client(null);
        var id = await host.Queue.EnqueueAsync(JobTestHost.UniqueKind("owned"), "alice", new { });

        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/v1/jobs/{id}")).StatusCode);
        foreach (var response in new[]
        {
            await bob.GetAsync($"/v1/jobs/{id}"),
            await bob.GetAsync($"/v1/jobs/{id}/events"),
            await bob.PostAsync($"/v1/jobs/{id}/cancel", null),
            await alice.GetAsync($"/v1/jobs/{JobId.New()}"),
            await alice.GetAsync("/v1/jobs/not-a-job-id"),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
            Assert.Equal("job_not_found", error.GetProperty("code").GetString());
            Assert.Equal("id", error.GetProperty("param").GetString());
            Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        }
        Assert.Equal("queued", (await alice.GetFromJsonAsync<JsonElement>($"/v1/jobs/{id}")).GetProperty("status").GetString());

        var unauthorized = await anonymous.GetAsync($"/v1/jobs/{id}");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await unauthorized.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("param").ValueKind);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/jobs")).StatusCode);
    }

    [Fact]
    public async Task The_job_list_pages_the_callers_jobs_newest_first()
    {
        await using var host = await JobTestHost.StartAsync();
        using var alice = host.Client("alice");
        var kind = JobTestHost.UniqueKind("paged");
        var mine = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            mine.Add(await host.Queue.EnqueueAsync(kind, "alice", new { i }));
            await host.Queue.EnqueueAsync(kind, "bob", new { i });
        }
        mine.Reverse();

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        while (true)
        {
            var page = await alice.GetFromJsonAsync<JsonElement>("/v1/jobs?limit=2" + (after is null ? "" : "&after=" + after));
            pages++;
            Assert.Equal("list", page.GetProperty("object").GetString());
            var ids = page.GetProperty("data").EnumerateArray().Select(j => j.GetProperty("id").GetString()!).ToList();
            seen.AddRange(ids);
            Assert.Equal(ids[0], page.GetProperty("first_id").GetString());
            after = page.GetProperty("last_id").GetString();
            if (!page.GetProperty("has_more").GetBoolean())
                break;
        }

        Assert.Equal(mine, seen);
        Assert.Equal(3, pages);
        var bad = await alice.GetAsync("/v1/jobs?limit=1000");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("limit", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.GetAsync("/v1/jobs?after=nope")).StatusCode);
    }

    private static string Status(JobEvent e) => JsonDocument.Parse(e.Data).RootElement.GetProperty("status").GetString()!;

    internal static async Task<JsonElement> WaitForStatusAsync(HttpClient client, string id, string status)
    {
        JsonElement job = default;
        await Eventually.Until(async () =>
        {
            job = await client.GetFromJsonAsync<JsonElement>($"/v1/jobs/{id}");
            return job.GetProperty("status").GetString() == status;
        }, Wait, $"job {id} is {status}");
        return job;
    }
}
