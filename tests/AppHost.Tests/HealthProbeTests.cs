using System.Net;
using Suite.AppHost.Orchestration;
using Suite.AppHost.Servers;
using Suite.Testing;

namespace Suite.AppHost.Tests;

public sealed class HealthProbeTests
{
    [Fact]
    public async Task Redis_probe_passes_when_PING_answers()
    {
        var redis = await TestServers.RedisAsync();

        var status = await HealthWaiter.CheckRedisAsync(redis.ConnectionString, CancellationToken.None);

        Assert.True(status.IsHealthy, status.Description);
    }

    [Fact]
    public async Task Redis_probe_authenticates_and_names_a_wrong_password_without_showing_it()
    {
        await using var redis = await TestServers.StartPrivateRedisAsync(password: "right-password");

        var right = await ProbeRedisAsync(redis.ConnectionString);
        var wrong = await ProbeRedisAsync($"127.0.0.1:{redis.Port},password=wrong-password");
        var none = await ProbeRedisAsync($"127.0.0.1:{redis.Port}");

        Assert.True(right.IsHealthy, right.Description);
        Assert.False(wrong.IsHealthy);
        Assert.Contains("WRONGPASS", wrong.Description);
        Assert.DoesNotContain("wrong-password", wrong.Description);
        Assert.False(none.IsHealthy);
        Assert.Contains("NOAUTH", none.Description);
    }

    [Fact]
    public async Task Postgres_probe_passes_when_a_connection_opens()
    {
        var postgres = await TestServers.PostgresAsync();

        var status = await HealthWaiter.CheckPostgresAsync(postgres.ConnectionString, CancellationToken.None);

        Assert.True(status.IsHealthy, status.Description);
    }

    [Fact]
    public async Task A_probe_of_a_port_nobody_listens_on_is_unhealthy_not_an_exception()
    {
        var port = FreePort.Next();

        var status = await HealthWaiter.ProbeAsync(ct => HealthWaiter.CheckHttpAsync($"http://127.0.0.1:{port}", ct), CancellationToken.None);

        Assert.False(status.IsHealthy);
    }

    [Fact]
    public async Task Http_probe_is_healthy_only_on_a_200_from_health()
    {
        using var listener = new HttpListener();
        var port = FreePort.Next();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var statusCode = 503;
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                var context = await listener.GetContextAsync();
                context.Response.StatusCode = context.Request.Url!.AbsolutePath == "/health" ? statusCode : 404;
                context.Response.Close();
            }
        });

        var unhealthy = await HealthWaiter.CheckHttpAsync($"http://127.0.0.1:{port}", CancellationToken.None);
        statusCode = 200;
        var healthy = await HealthWaiter.CheckHttpAsync($"http://127.0.0.1:{port}", CancellationToken.None);

        Assert.False(unhealthy.IsHealthy);
        Assert.Contains("503", unhealthy.Description);
        Assert.True(healthy.IsHealthy);
    }

    private static Task<HealthStatus> ProbeRedisAsync(string connectionString) =>
        HealthWaiter.ProbeAsync(ct => HealthWaiter.CheckRedisAsync(connectionString, ct), CancellationToken.None);
}
