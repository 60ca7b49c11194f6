using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Suite.Testing;

namespace Suite.ServiceDefaults.Tests;

public sealed class DrainTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_drain_answers_health_503_refuses_new_work_and_lets_in_flight_requests_finish()
    {
        var release = new TaskCompletionSource();
        await using var app = await SlowAppAsync(release, drainTimeout: "00:00:30");
        var drain = app.Services.GetRequiredService<DrainState>();
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var slow = app.Client.GetStringAsync("/slow");
        await Eventually.Until(() => drain.InFlight == 1, Wait, "the slow request is in flight");

        drain.BeginDrain();

        var health = await app.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("draining", (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var refused = await app.Client.GetAsync("/fast");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.True(drain.Draining.IsCancellationRequested, "bus consumers watching Draining stop taking work");
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "the host waits for the in-flight request");

        release.SetResult();

        Assert.Equal("done", await slow);
        await Eventually.Until(() => lifetime.ApplicationStopping.IsCancellationRequested, Wait, "the host stops once idle");
    }

    [Fact]
    public async Task Stopping_the_host_drains_before_the_server_stops()
    {
        var release = new TaskCompletionSource();
        await using var app = await SlowAppAsync(release, drainTimeout: "00:00:30");
        var drain = app.Services.GetRequiredService<DrainState>();
        var slow = app.Client.GetStringAsync("/slow");
        await Eventually.Until(() => drain.InFlight == 1, Wait, "the slow request is in flight");

        // What SIGTERM does through the console lifetime.
        var stopped = app.App.StopAsync();

        await Eventually.Until(() => drain.IsDraining, Wait, "stopping began the drain");
        var health = await app.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.False(stopped.IsCompleted);
        release.SetResult();
        Assert.Equal("done", await slow);
        await stopped.WaitAsync(Wait);
    }

    [Fact]
    public async Task The_host_stops_when_the_drain_timeout_passes_with_work_still_in_flight()
    {
        var release = new TaskCompletionSource();
        await using var app = await SlowAppAsync(release, drainTimeout: "00:00:00.300");
        var drain = app.Services.GetRequiredService<DrainState>();
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var slow = app.Client.GetStringAsync("/slow");
        await Eventually.Until(() => drain.InFlight == 1, Wait, "the slow request is in flight");

        drain.BeginDrain();

        await Eventually.Until(() => lifetime.ApplicationStopping.IsCancellationRequested, Wait, "the host gave up waiting");
        Assert.Equal(1, drain.InFlight);
        release.SetResult();
        await slow.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static Task<TestApp> SlowAppAsync(TaskCompletionSource release, string drainTimeout) =>
        TestApp.StartAsync(
            new Dictionary<string, string?> { ["Suite:DrainTimeout"] = drainTimeout },
            map: app =>
            {
                app.MapGet("/slow", async () =>
                {
                    await release.Task;
                    return "done";
                });
                app.MapGet("/fast", () => "fast");
            });
}
