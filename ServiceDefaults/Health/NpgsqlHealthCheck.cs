using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Suite.ServiceDefaults;

/// <summary>Healthy when PostgreSQL answers <c>SELECT 1</c>.</summary>
internal sealed class NpgsqlHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answered SELECT 1.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"PostgreSQL is unreachable: {ex.Message}", ex);
        }
    }
}
