using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Suite.Testing;

namespace Suite.ServiceDefaults.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_is_healthy_when_redis_and_postgres_answer()
    {
        var redis = await TestServers.RedisAsync();
        await using var db = await TestDatabase.CreateAsync();
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:redis"] = redis.ConnectionString,
                ["ConnectionStrings:postgres"] = db.ConnectionString,
            },
            b => b.AddRedisClient("redis").AddNpgsqlDataSource("postgres"));

        var response = await app.Client.GetAsync("/health");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_is_503_and_names_postgres_when_postgres_is_unreachable()
    {
        var redis = await TestServers.RedisAsync();
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:redis"] = redis.ConnectionString,
                ["ConnectionStrings:postgres"] = Ports.UnreachablePostgres(Ports.Closed()),
            },
            b => b.AddRedisClient("redis").AddNpgsqlDataSource("postgres"));

        var response = await app.Client.GetAsync("/health");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        var postgres = body.GetProperty("checks").GetProperty("postgres");
        Assert.Equal("unhealthy", postgres.GetProperty("status").GetString());
        Assert.StartsWith("PostgreSQL is unreachable", postgres.GetProperty("description").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Alive_answers_200_while_a_dependency_is_down()
    {
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["ConnectionStrings:postgres"] = Ports.UnreachablePostgres(Ports.Closed()) },
            b => b.AddNpgsqlDataSource("postgres"));

        var response = await app.Client.GetAsync("/alive");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.False(body.GetProperty("checks").TryGetProperty("postgres", out _));
    }

    [Fact]
    public async Task Health_reports_the_services_own_checks()
    {
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?>(),
            b => b.Services.AddHealthChecks().AddCheck("backlog", () => HealthCheckResult.Degraded("1200 jobs waiting")));

        var response = await app.Client.GetAsync("/health");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        // Degraded still takes traffic.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        var backlog = body.GetProperty("checks").GetProperty("backlog");
        Assert.Equal("degraded", backlog.GetProperty("status").GetString());
        Assert.Equal("1200 jobs waiting", backlog.GetProperty("description").GetString());
    }
}
