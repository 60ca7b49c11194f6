using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Suite.ServiceDefaults;

/// <summary>
/// Owns the tracer and meter providers (the job OpenTelemetry.Extensions.Hosting would do). It
/// builds them in <see cref="StartingAsync"/>, the first thing the host runs, so start-up work
/// such as migrations is traced, and flushes and disposes them after everything else has stopped.
/// </summary>
/// <remarks>
/// StoppedAsync can run twice at once: while <c>app.Run()</c> waits for shutdown, any other
/// StopAsync (WebApplicationFactory's, when it is disposed) fires ApplicationStopping, which wakes
/// <c>app.Run()</c> into a second StopAsync of the same host. The providers are therefore disposed
/// by one caller only, never twice at once: TracerProviderSdk.Dispose is not safe for that (it
/// reads its processor again after shutting it down, while the other call sets it to null).
/// </remarks>
internal sealed class TelemetryService(
    IConfiguration configuration,
    IHostEnvironment environment,
    PostgresSpanExporter postgres) : IHostedLifecycleService, IDisposable
{
    private readonly Lock _gate = new();
    private TracerProvider? _tracing;
    private MeterProvider? _metrics;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var resource = Resources(configuration, environment);
        var otlp = OtlpSettings.From(configuration);

        var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource([.. SuiteTelemetry.TraceSources])
            .AddProcessor(new SecretTagProcessor());
        if (postgres.Enabled)
        {
            tracing.AddProcessor(postgres);
            postgres.Start();
        }

        if (otlp is not null)
        {
            tracing.AddOtlpExporter(o => otlp.Apply(o, "v1/traces"));
        }

        var tracerProvider = tracing.Build();

        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter([.. SuiteTelemetry.Meters]);
        if (otlp is not null)
        {
            metrics.AddOtlpExporter((o, _) => otlp.Apply(o, "v1/metrics"));
        }

        var meterProvider = metrics.Build();
        lock (_gate)
        {
            (_tracing, _metrics) = (tracerProvider, meterProvider);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        // Disposing a provider flushes and shuts down its processors and exporters. The first caller
        // takes the providers and disposes them; a concurrent caller waits under the lock until that
        // is done, so neither returns (and lets the host go on to dispose the container) before the
        // spans have been handed on, and later calls (the container's own Dispose) find nothing left.
        lock (_gate)
        {
            var (tracing, metrics) = (_tracing, _metrics);
            (_tracing, _metrics) = (null, null);
            try
            {
                tracing?.Dispose();
            }
            finally
            {
                metrics?.Dispose();
            }
        }
    }

    internal static ResourceBuilder Resources(IConfiguration configuration, IHostEnvironment environment) =>
        ResourceBuilder.CreateDefault()
            .AddService(SuiteTelemetry.ServiceName(configuration, environment))
            .AddAttributes([new("deployment.environment.name", environment.EnvironmentName)]);
}
