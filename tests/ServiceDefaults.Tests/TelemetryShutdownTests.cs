using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Suite.ServiceDefaults.Tests;

/// <summary>How the tracer and meter providers are shut down when the host stops.</summary>
public sealed class TelemetryShutdownTests
{
    /// <summary>
    /// A host is stopped twice at once whenever <c>app.Run()</c> is running and something else calls
    /// StopAsync, as WebApplicationFactory does when it is disposed: the first StopAsync fires
    /// ApplicationStopping, which wakes <c>app.Run()</c> into a second StopAsync, so every
    /// IHostedLifecycleService gets two concurrent StoppedAsync calls. The providers must still be
    /// disposed once: TracerProviderSdk.Dispose is not safe to run twice at once (it reads its
    /// processor again after shutting it down, while the other call sets it to null), so this failed
    /// with a NullReferenceException in TracerProviderSdk.Dispose well within 40 rounds.
    /// </summary>
    [Fact]
    public async Task Two_concurrent_stops_of_the_host_dispose_the_providers_once_without_failing()
    {
        for (var i = 0; i < 40; i++)
        {
            using var host = Build();
            await host.StartAsync();
            Assert.True(host.Services.GetRequiredService<PostgresSpanExporter>().Enabled);

            using var together = new Barrier(2);
            var stops = Enumerable.Range(0, 2)
                .Select(_ => Task.Run(() =>
                {
                    together.SignalAndWait();
                    return host.StopAsync();
                }))
                .ToArray();

            await Task.WhenAll(stops);
        }
    }

    private static IHost Build()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = "Production",
            ApplicationName = "telemetry-shutdown-tests",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Enables the PostgreSQL exporter, whose shutdown waits for its export loop; with nothing
            // traced, it never connects.
            ["ConnectionStrings:postgres"] = Ports.UnreachablePostgres(Ports.Closed()),
            ["Suite:Telemetry:ExportInterval"] = "00:00:00.100",
        });
        builder.AddSuiteTelemetry();
        return builder.Build();
    }
}
