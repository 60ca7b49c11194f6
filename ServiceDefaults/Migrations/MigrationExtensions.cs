using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Suite.ServiceDefaults;

/// <summary>Registers a service's schema migrations to run at start-up.</summary>
public static class MigrationExtensions
{
    /// <summary>
    /// Applies the SQL files embedded in <paramref name="assembly"/> under a <c>Migrations</c> folder
    /// (<c>&lt;EmbeddedResource Include="Storage/Migrations/*.sql" /&gt;</c>) to <paramref name="schema"/>
    /// before the service takes requests. Uses the data source of <c>AddNpgsqlDataSource</c>,
    /// registering it for <paramref name="connectionName"/> when the service has not.
    /// </summary>
    public static IHostApplicationBuilder AddMigrations(this IHostApplicationBuilder builder, string schema, Assembly assembly, string connectionName = "postgres")
    {
        var migrations = Migration.FromAssembly(assembly);
        if (!builder.Services.Any(d => d.ServiceType == typeof(NpgsqlDataSource)))
        {
            builder.AddNpgsqlDataSource(connectionName);
        }

        // Not AddHostedService: it keeps one registration per type, and a service may migrate two schemas.
        builder.Services.AddSingleton<IHostedService>(sp => new MigrationService(new MigrationRunner(
            sp.GetRequiredService<NpgsqlDataSource>(),
            schema,
            migrations,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<MigrationRunner>())));
        return builder;
    }
}
