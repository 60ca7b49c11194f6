using System.Text.Json;
using Suite.AppHost.Servers;
using Suite.Bench.Redis;
using Suite.Redis;

// GET/SET throughput of one RedisClient with 64 concurrent callers, against redis-benchmark
// (-P 16 -c 64) on the same redis-server in the same run. One JSON line on stdout; details on stderr.
var settings = BenchSettings.Parse(args);
var dataDir = Directory.CreateTempSubdirectory("bench-redis-").FullName;
await using var server = await RedisServer.StartAsync(new RedisServerSettings { DataDir = dataDir, AppendOnly = false });
try
{
    // redis-benchmark runs before and after our client and the better run counts, so a burst of
    // load from elsewhere on the machine does not flatter the ratio.
    if (settings.ClientOnly)
    {
        await ClientBench.RunAsync(server, settings);
        return;
    }
    var before = await RedisBenchmark.RunAsync(server, settings);
    var ours = await ClientBench.RunAsync(server, settings);
    var theirs = Math.Max(before, await RedisBenchmark.RunAsync(server, settings));
    var result = new
    {
        ops_per_s = Math.Round(ours),
        redis_benchmark_ops_per_s = Math.Round(theirs),
        ratio = Math.Round(ours / theirs, 3),
    };
    Console.WriteLine(JsonSerializer.Serialize(result));
}
finally
{
    await server.StopAsync();
    Directory.Delete(dataDir, recursive: true);
}
