using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Suite.ServiceDefaults.Tests;

public sealed class OtlpTests
{
    [Fact]
    public async Task Traces_metrics_and_logs_go_to_the_OTLP_endpoint_when_one_is_set()
    {
        await using var collector = await Collector.StartAsync();
        var app = await TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            },
            map: a => a.MapGet("/ping", (ILogger<OtlpTests> logger) =>
            {
                logger.LogWarning("ping received");
                return "pong";
            }));
        var service = app.ServiceName;
        await app.Client.GetStringAsync("/ping");

        // Stopping flushes every provider.
        await app.DisposeAsync();

        Assert.Contains(collector.Bodies, b => b.Signal == "traces" && b.Text.Contains(service));
        Assert.Contains(collector.Bodies, b => b.Signal == "logs" && b.Text.Contains("ping received"));
        Assert.Contains(collector.Bodies, b => b.Signal == "metrics" && b.Text.Contains("http.server.request.duration"));
    }

    /// <summary>Stands in for an OpenTelemetry collector: accepts OTLP over HTTP and keeps each body.</summary>
    private sealed class Collector : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Collector(WebApplication app) => _app = app;

        public ConcurrentBag<(string Signal, string Text)> Bodies { get; } = [];

        public string Address => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        public static async Task<Collector> StartAsync()
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var collector = new Collector(app);
            app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                // Protobuf keeps strings as UTF-8 bytes, which is all these checks need.
                collector.Bodies.Add((signal, Encoding.UTF8.GetString(body.ToArray())));
                return Results.Bytes([], "application/x-protobuf");
            });
            await app.StartAsync();
            return collector;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
