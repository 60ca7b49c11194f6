using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Suite.ServiceDefaults;

/// <summary>
/// What every service calls first, Aspire-style: <c>builder.AddServiceDefaults()</c> before its own
/// registrations and <c>app.MapDefaultEndpoints()</c> before its own endpoints.
/// </summary>
public static class Extensions
{
    /// <summary>
    /// Adds telemetry (traces, metrics, logs; spans into PostgreSQL's telemetry schema, OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), health checks, ProblemDetails, service discovery
    /// and resilience for every HttpClient, the internal token, and graceful drain.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;

        // First, so its providers exist before any other hosted service starts.
        builder.AddSuiteTelemetry();

        // Liveness: the process answers. Dependencies add checks tagged "ready" (AddRedisClient, AddNpgsqlDataSource).
        services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [HealthEndpoints.LiveTag]);

        // Errors as ProblemDetails with a traceId; a 500 never carries the exception's text.
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        // Bad input reaches the handler as an exception whose message names the parameter,
        // instead of a bare 400 (the framework's default outside Development).
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        // Calls between services: names resolved from services:<name>:http:0, the internal token
        // sent to them, and every client made resilient (settings: Suite:Http:Resilience).
        services.AddOptions<InternalTokenOptions>().BindConfiguration("Suite");
        services.ConfigureAll<HttpResilienceOptions>(builder.Configuration.GetSection("Suite:Http:Resilience").Bind);
        services.ConfigureHttpClientDefaults(http => http.AddSuiteServiceDiscovery().AddSuiteResilience());

        // SIGTERM: refuse new work, finish what is in flight, then stop.
        services.AddGracefulDrain();
        return builder;
    }

    /// <summary>
    /// Adds the exception handler and status-code pages (both answer with ProblemDetails) and maps
    /// <c>/health</c> (every check; 503 when one fails or while draining) and <c>/alive</c> (liveness only).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        HealthEndpoints.Map(app);
        return app;
    }
}
