using System.Text.Json;
using Suite.Bench.Messaging;
using Suite.Testing;

// Bus throughput (publish → handle → ack) with 1 and 4 consumers, and the jobs' SSE latency, on a
// private redis-server without persistence. One JSON line on stdout; details on stderr.
var messages = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 100_000;
var server = await TestServers.StartPrivateRedisAsync(appendOnly: false);
try
{
    // A short warm-up so JIT and connection set-up are not measured.
    await BusThroughputBench.RunAsync(server.ConnectionString, 1, 5_000, TextWriter.Null);
    var one = await BusThroughputBench.RunAsync(server.ConnectionString, 1, messages, Console.Error);
    var four = await BusThroughputBench.RunAsync(server.ConnectionString, 4, messages, Console.Error);

    var result = new Dictionary<string, object>
    {
        ["bus_msgs_per_s_1_consumer"] = Math.Round(one),
        ["bus_msgs_per_s_4_consumers"] = Math.Round(four),
    };

    // The jobs' SSE latency (SseLatencyBench.cs): sse_p50_ms, sse_p99_ms, sse_max_ms, sse_events_per_s.
    foreach (var (key, value) in await SseLatencyBench.RunAsync(server.ConnectionString, Console.Error))
        result[key] = value;

    Console.WriteLine(JsonSerializer.Serialize(result));
}
finally
{
    await server.StopAsync();
}
