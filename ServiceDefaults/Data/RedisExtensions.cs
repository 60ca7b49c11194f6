using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Suite.Redis;

namespace Suite.ServiceDefaults;

/// <summary>Registers the suite's Redis client the way Aspire's Redis component does.</summary>
public static class RedisExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="RedisClient"/> built with <see cref="RedisOptions.Parse"/>
    /// from <c>ConnectionStrings:&lt;connectionName&gt;</c>, and a health check that sends PING.
    /// A missing connection string stops start-up with an error naming the key.
    /// </summary>
    public static IHostApplicationBuilder AddRedisClient(this IHostApplicationBuilder builder, string connectionName = "redis")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        var services = builder.Services;
        ConnectionStringSettings.Require(services, connectionName);
        services.AddSingleton(sp => new RedisClient(
            RedisOptions.Parse(ConnectionStringSettings.Get(sp, connectionName)),
            sp.GetService<ILogger<RedisClient>>()));

        services.AddHealthChecks().Add(new HealthCheckRegistration(
            connectionName,
            sp => new RedisHealthCheck(sp.GetRequiredService<RedisClient>()),
            HealthStatus.Unhealthy,
            tags: ["ready"],
            timeout: TimeSpan.FromSeconds(5)));
        return builder;
    }
}
