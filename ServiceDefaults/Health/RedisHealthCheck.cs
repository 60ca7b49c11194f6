using Microsoft.Extensions.Diagnostics.HealthChecks;
using Suite.Redis;

namespace Suite.ServiceDefaults;

/// <summary>Healthy when Redis answers PING.</summary>
internal sealed class RedisHealthCheck(RedisClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await client.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered PING in {latency.TotalMilliseconds:0.#} ms.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis is unreachable: {ex.Message}", ex);
        }
    }
}
