using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Suite.ServiceDefaults;

/// <summary>Registers the service's PostgreSQL data source the way Aspire's Npgsql component does.</summary>
public static class NpgsqlExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="NpgsqlDataSource"/> built from
    /// <c>ConnectionStrings:&lt;connectionName&gt;</c> and a health check running <c>SELECT 1</c>.
    /// A missing connection string stops start-up with an error naming the key. Calling it
    /// twice with the same name registers it once.
    /// </summary>
    public static IHostApplicationBuilder AddNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName = "postgres")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(NpgsqlRegistration) && d.ImplementationInstance is NpgsqlRegistration r && r.Name == connectionName))
        {
            return builder;
        }

        services.AddSingleton(new NpgsqlRegistration(connectionName));
        ConnectionStringSettings.Require(services, connectionName);
        services.AddSingleton(sp =>
            new NpgsqlDataSourceBuilder(ConnectionStringSettings.Get(sp, connectionName))
                .UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>())
                .Build());

        services.AddHealthChecks().Add(new HealthCheckRegistration(
            connectionName,
            sp => new NpgsqlHealthCheck(sp.GetRequiredService<NpgsqlDataSource>()),
            HealthStatus.Unhealthy,
            tags: ["ready"],
            timeout: TimeSpan.FromSeconds(5)));
        return builder;
    }

    // Marks a name as registered, so AddMigrations can add the data source when a service has not.
    internal sealed record NpgsqlRegistration(string Name);
}
