using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Suite.Messaging;
using Suite.Testing;

namespace Suite.Bench.Messaging;

/// <summary>
/// Latency of job events from the worker's append (XADD, through <see cref="JobContext"/>) to an SSE
/// client reading them from <c>GET /v1/jobs/{id}/events</c> on a real Kestrel: a job handler writes
/// outputs at a steady rate, each carrying its send time; one client reads them over HTTP. Producer,
/// server and client share the process, so one clock times both ends. The first second is warm-up.
/// </summary>
public static class SseLatencyBench
{
    private const string Owner = "bench";

    public static async Task<SseLatencyResult> RunAsync(
        string redisConnectionString, TextWriter log, int eventsPerSecond = 1000, TimeSpan? duration = null)
    {
        var measured = duration ?? TimeSpan.FromSeconds(10);
        var warmUp = eventsPerSecond; // one second
        var total = warmUp + (int)(eventsPerSecond * measured.TotalSeconds);
        await using var database = await TestDatabase.CreateAsync();
        var signal = new ClientReady();
        var kind = "sse-bench-" + Guid.NewGuid().ToString("N")[..8];
        await using var app = await StartHostAsync(redisConnectionString, database.ConnectionString, kind, signal);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Add("X-Owner", Owner);

        var jobId = await app.Services.GetRequiredService<IJobQueue>().EnqueueAsync(kind, Owner, new ProducerInput(total, eventsPerSecond));
        var latencies = new List<double>(total);
        var (first, last) = await ReadAsync(client, jobId, signal, latencies);
        var elapsed = Stopwatch.GetElapsedTime(first, last);

        var sorted = latencies.Skip(warmUp).Order().ToArray();
        var result = new SseLatencyResult(
            Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Length > 0 ? sorted[^1] : double.NaN,
            (latencies.Count - 1) / elapsed.TotalSeconds, sorted.Length);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sse: {sorted.Length} events at {eventsPerSecond}/s after {warmUp} warm-up: p50 {result.P50Ms:0.000} ms, p99 {result.P99Ms:0.000} ms, max {result.MaxMs:0.000} ms"));
        await app.StopAsync();
        return result;
    }

    private static async Task<WebApplication> StartHostAsync(string redis, string postgres, string kind, ClientReady signal)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis,
            ["ConnectionStrings:postgres"] = postgres,
            ["Jobs:OwnerHeader"] = "X-Owner",
        });
        builder.AddJobs();
        builder.Services.AddSingleton(signal);
        builder.Services.AddJobHandler<Producer>(kind, o => o.BlockTime = TimeSpan.FromMilliseconds(200));
        var app = builder.Build();
        app.MapJobs();
        await app.StartAsync();
        return app;
    }

    /// <summary>Reads the job's events until its end, recording each output's latency; returns when the first and last arrived.</summary>
    private static async Task<(long First, long Last)> ReadAsync(HttpClient client, string jobId, ClientReady signal, List<double> latencies)
    {
        long first = 0, last = 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{jobId}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            var received = Stopwatch.GetTimestamp();
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
                continue;
            var sentAt = line.IndexOf("\"sent\":", StringComparison.Ordinal);
            if (sentAt >= 0)
            {
                var start = sentAt + 7;
                var end = line.IndexOfAny([',', '}'], start);
                var sent = long.Parse(line.AsSpan(start, end - start), CultureInfo.InvariantCulture);
                latencies.Add(Stopwatch.GetElapsedTime(sent, received).TotalMilliseconds);
                first = first == 0 ? received : first;
                last = received;
            }
            else if (line.Contains("\"running\"", StringComparison.Ordinal))
            {
                // Caught up with the job's start: the producer may begin.
                signal.Set();
            }
            else if (line.Contains("\"succeeded\"", StringComparison.Ordinal) || line.Contains("\"failed\"", StringComparison.Ordinal))
            {
                break;
            }
        }
        return (first, last);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed record ProducerInput(int Events, int PerSecond);

    private sealed class ClientReady
    {
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Task => _ready.Task;

        public void Set() => _ready.TrySetResult();
    }

    /// <summary>Writes outputs at a steady rate, each stamped with the time just before its append.</summary>
    private sealed class Producer(ClientReady ready) : IJobHandler
    {
        public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            var input = context.GetInput<ProducerInput>()!;
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            var interval = Stopwatch.Frequency / (double)input.PerSecond;
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < input.Events; i++)
            {
                // Paced against the schedule, not the previous send, so the rate holds on average.
                var due = start + (long)(i * interval);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.FromMilliseconds(1))
                    await Task.Delay(wait, cancellationToken);
                await context.WriteOutputAsync(new Sample(Stopwatch.GetTimestamp(), i), cancellationToken);
            }
            await context.CompleteAsync(new { events = input.Events }, cancellationToken);
        }
    }

    private sealed record Sample(long Sent, int I);
}
