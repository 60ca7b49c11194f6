using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Suite.ServiceDefaults;

/// <summary>
/// <c>/health</c> runs every registered check (dependencies included) and answers 503 while the
/// instance drains; <c>/alive</c> runs only the checks tagged "live", so a process is never
/// restarted because a dependency is down.
/// </summary>
internal static class HealthEndpoints
{
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";
    public const string LiveTag = "live";

    public static bool IsProbe(PathString path) => path.Equals(HealthPath) || path.Equals(AlivePath);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(HealthPath, Health).ExcludeFromDescription();
        endpoints.MapGet(AlivePath, Alive).ExcludeFromDescription();
    }

    private static async Task Health(HttpContext context, HealthCheckService checks, DrainState drain)
    {
        if (drain.IsDraining)
        {
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, new HealthBody("draining", 0, null));
            return;
        }

        await RunAsync(context, checks, predicate: null);
    }

    private static Task Alive(HttpContext context, HealthCheckService checks) =>
        RunAsync(context, checks, registration => registration.Tags.Contains(LiveTag));

    private static async Task RunAsync(HttpContext context, HealthCheckService checks, Func<HealthCheckRegistration, bool>? predicate)
    {
        var report = await checks.CheckHealthAsync(predicate, context.RequestAborted);
        var body = new HealthBody(
            Status(report.Status),
            report.TotalDuration.TotalMilliseconds,
            report.Entries.ToDictionary(
                e => e.Key,
                e => new CheckBody(Status(e.Value.Status), e.Value.Description, e.Value.Duration.TotalMilliseconds)));
        var status = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        await WriteAsync(context, status, body);
    }

    private static Task WriteAsync(HttpContext context, int status, HealthBody body)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(body, JsonOptions, context.RequestAborted);
    }

    private static string Status(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed record HealthBody(string Status, double DurationMs, IReadOnlyDictionary<string, CheckBody>? Checks);

    private sealed record CheckBody(string Status, string? Description, double DurationMs);
}
