using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Suite.ServiceDefaults;

/// <summary>
/// Names the suite's telemetry is wired with. Suite code names its ActivitySources and Meters
/// <c>Suite.&lt;Project&gt;</c> and they are picked up without further registration.
/// </summary>
public static class SuiteTelemetry
{
    /// <summary>The meter of ServiceDefaults itself.</summary>
    public const string MeterName = "Suite.ServiceDefaults";

    /// <summary>Counter of spans the PostgreSQL exporter dropped (queue full or database down).</summary>
    public const string SpansDroppedCounter = "suite.telemetry.spans.dropped";

    /// <summary>Counter of spans the PostgreSQL exporter wrote.</summary>
    public const string SpansExportedCounter = "suite.telemetry.spans.exported";

    /// <summary>ActivitySources traced: ASP.NET Core, HttpClient and Npgsql emit these themselves.</summary>
    public static IReadOnlyList<string> TraceSources { get; } = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql", "Suite.*"];

    /// <summary>Meters collected.</summary>
    public static IReadOnlyList<string> Meters { get; } =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "Npgsql", "Suite.*"];

    /// <summary>The service name: <c>OTEL_SERVICE_NAME</c> when set, else the application name.</summary>
    public static string ServiceName(IConfiguration configuration, IHostEnvironment environment) =>
        configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : environment.ApplicationName;
}
