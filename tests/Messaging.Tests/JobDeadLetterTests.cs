using Microsoft.Extensions.DependencyInjection;

namespace Suite.Messaging.Tests;

public sealed class JobDeadLetterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_job_whose_message_is_dead_lettered_ends_failed_instead_of_staying_queued()
    {
        var kind = JobTestHost.UniqueKind("dead");
        var topic = "jobs:" + kind;
        // First a host with no worker: the job waits in its topic.
        await using var api = await JobTestHost.StartAsync();
        using var client = api.Client("alice");
        var id = await api.Queue.EnqueueAsync(kind, "alice", new { });

        // Workers that keep crashing: a consumer takes the message twice and never acks it.
        var redis = api.RedisClient;
        await redis.XGroupCreateAsync(topic, "jobs", "0");
        var taken = await redis.XReadGroupAsync("jobs", "crashing-worker", topic, ">", count: 1);
        var streamId = Assert.Single(taken).Id;
        await redis.ExecuteAsync("XCLAIM", topic, "jobs", "crashing-worker", 0, streamId);

        // A worker allowing one delivery reclaims it as the third: past the limit, so it is dead-lettered.
        var probe = new JobProbe();
        await using var worker = await JobTestHost.StartAsync(
            b =>
            {
                b.Services.AddSingleton(probe);
                JobTestHost.Handler<WaitForCancelJobHandler>(kind, o =>
                {
                    o.MaxDeliveries = 1;
                    o.VisibilityTimeout = TimeSpan.FromMilliseconds(100);
                })(b);
            },
            postgres: api.Postgres);

        var job = await JobApiTests.WaitForStatusAsync(client, id, "failed");
        Assert.Equal("dead_lettered", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("dead-lettered after", job.GetProperty("error").GetProperty("message").GetString());
        Assert.False(probe.WhenStarted(id).IsCompleted, "the handler must not run a dead-lettered job");
        Assert.Equal(1, await redis.XLenAsync(topic + ":dead"));
        await using var sse = await SseTestClient.OpenAsync(client, id);
        var events = await sse.ReadToEndAsync(Wait);
        Assert.Equal("failed", events[^1].Json.GetProperty("data").GetProperty("status").GetString());
    }
}
