using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Suite.AppHost.Servers;
using Suite.Testing;

namespace Suite.Gateway.Tests;

/// <summary>The gateway host against the real Redis and PostgreSQL of the test fixtures.</summary>
public sealed class HealthTests
{
    private static WebApplicationFactory<Program> Gateway(string? redis, string? postgres) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            if (redis is not null)
                web.UseSetting("ConnectionStrings:redis", redis);
            if (postgres is not null)
                web.UseSetting("ConnectionStrings:postgres", postgres);
        });

    /// <summary>An address where nothing listens: connecting there is refused at once.</summary>
    private static string NobodyListening() => $"127.0.0.1:{FreePort.Next()}";

    [Fact]
    public async Task Health_is_200_when_Redis_and_Postgres_answer()
    {
        var redis = await TestServers.RedisAsync();
        await using var db = await TestDatabase.CreateAsync();
        await using var gateway = Gateway(redis.ConnectionString, db.ConnectionString);

        using var response = await gateway.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Alive_is_200()
    {
        var redis = await TestServers.RedisAsync();
        await using var db = await TestDatabase.CreateAsync();
        await using var gateway = Gateway(redis.ConnectionString, db.ConnectionString);

        using var response = await gateway.CreateClient().GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_is_503_while_Redis_is_unreachable_but_the_process_stays_alive()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var gateway = Gateway(NobodyListening(), db.ConnectionString);
        var client = gateway.CreateClient();

        using var health = await client.GetAsync("/health");
        using var alive = await client.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Health_is_503_while_Postgres_is_unreachable()
    {
        var redis = await TestServers.RedisAsync();
        var postgres = $"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Database=postgres";
        await using var gateway = Gateway(redis.ConnectionString, postgres);

        using var health = await gateway.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }

    [Fact]
    public async Task Without_a_Redis_connection_string_the_gateway_does_not_start_and_names_the_key()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var gateway = Gateway(redis: null, db.ConnectionString);

        var error = Record.Exception(() => gateway.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("ConnectionStrings__redis", error.ToString());
    }
}
