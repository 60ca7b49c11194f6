using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Suite.ServiceDefaults.Tests;

/// <summary>
/// A tiny service as a real one is written: AddServiceDefaults, its own registrations,
/// MapDefaultEndpoints, its own endpoints; served by Kestrel on a free port.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    private TestApp(WebApplication app, string serviceName)
    {
        App = app;
        ServiceName = serviceName;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public HttpClient Client { get; }

    /// <summary>OTEL_SERVICE_NAME of this app, unique per test, so its spans can be told apart.</summary>
    public string ServiceName { get; }

    public static WebApplication Build(
        IDictionary<string, string?> settings,
        Action<WebApplicationBuilder>? register = null,
        Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = $"test-{Guid.NewGuid():N}",
            ["Suite:DrainDelay"] = "00:00:00",
            ["Suite:Telemetry:ExportInterval"] = "00:00:00.100",
        });
        builder.Configuration.AddInMemoryCollection(settings);

        builder.AddServiceDefaults();
        register?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        map?.Invoke(app);
        return app;
    }

    public static async Task<TestApp> StartAsync(
        IDictionary<string, string?> settings,
        Action<WebApplicationBuilder>? register = null,
        Action<WebApplication>? map = null)
    {
        var app = Build(settings, register, map);
        await app.StartAsync();
        return new TestApp(app, app.Configuration["OTEL_SERVICE_NAME"]!);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
