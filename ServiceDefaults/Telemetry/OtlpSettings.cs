using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace Suite.ServiceDefaults;

/// <summary>
/// The standard <c>OTEL_EXPORTER_OTLP_*</c> settings, read from configuration (environment
/// included) rather than by the exporter itself, so appsettings and test hosts can set them too.
/// </summary>
internal sealed record OtlpSettings(Uri Endpoint, OtlpExportProtocol Protocol, string? Headers)
{
    public static OtlpSettings? From(IConfiguration configuration)
    {
        if (configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is not { Length: > 0 } endpoint)
        {
            return null;
        }

        var protocol = configuration["OTEL_EXPORTER_OTLP_PROTOCOL"]?.Trim().ToLowerInvariant() switch
        {
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            _ => OtlpExportProtocol.Grpc,
        };
        return new OtlpSettings(new Uri(endpoint, UriKind.Absolute), protocol, configuration["OTEL_EXPORTER_OTLP_HEADERS"]);
    }

    /// <param name="options">The exporter's options.</param>
    /// <param name="signalPath">"v1/traces", "v1/metrics" or "v1/logs": over HTTP, an endpoint set
    /// in code is used as it is, so the per-signal path is added here as the variable implies.</param>
    public void Apply(OtlpExporterOptions options, string signalPath)
    {
        options.Protocol = Protocol;
        options.Endpoint = Protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri($"{Endpoint.AbsoluteUri.TrimEnd('/')}/{signalPath}")
            : Endpoint;
        if (!string.IsNullOrEmpty(Headers))
        {
            options.Headers = Headers;
        }
    }
}
