using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;

namespace Suite.ServiceDefaults;

/// <summary>Wires OpenTelemetry by hand: traces and metrics through <see cref="TelemetryService"/>, logs through the logging provider.</summary>
internal static class TelemetryExtensions
{
    public static void AddSuiteTelemetry(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddMetrics();
        services.AddOptions<TelemetryOptions>().BindConfiguration("Suite:Telemetry");
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TelemetryOptions>>().Value;
            var configuration = sp.GetRequiredService<IConfiguration>();
            return new PostgresSpanExporter(
                options,
                configuration.GetConnectionString(options.ConnectionName),
                SuiteTelemetry.ServiceName(configuration, sp.GetRequiredService<IHostEnvironment>()),
                sp.GetRequiredService<IMeterFactory>(),
                sp.GetRequiredService<ILogger<PostgresSpanExporter>>());
        });
        services.AddHostedService<TelemetryService>();

        var otlp = OtlpSettings.From(builder.Configuration);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            logging.SetResourceBuilder(TelemetryService.Resources(builder.Configuration, builder.Environment));
            if (otlp is not null)
            {
                logging.AddOtlpExporter(o => otlp.Apply(o, "v1/logs"));
            }
        });
    }
}
