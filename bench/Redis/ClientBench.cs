using System.Diagnostics;
using Suite.AppHost.Servers;
using Suite.Redis;

namespace Suite.Bench.Redis;

/// <summary>Runs SET then GET phases with many concurrent callers sharing one client; returns the mean ops/s.</summary>
internal static class ClientBench
{
    // The key redis-benchmark uses without -r, so both sides do the same work.
    private const string Key = "key:__rand_int__";

    public static async Task<double> RunAsync(RedisServer server, BenchSettings settings)
    {
        var options = RedisOptions.Parse(server.ConnectionString);
        options.InlineContinuations = settings.Inline;
        await using var client = new RedisClient(options);
        await client.PingAsync();
        var value = new byte[settings.ValueSize];
        Array.Fill(value, (byte)'x');

        await PhaseAsync(client, value, isGet: false, settings.Callers, TimeSpan.FromSeconds(settings.WarmupSeconds));
        await PhaseAsync(client, value, isGet: true, settings.Callers, TimeSpan.FromSeconds(settings.WarmupSeconds));
        var set = await MeasureAsync(client, value, "SET", settings);
        var get = await MeasureAsync(client, value, "GET", settings);
        return (set + get) / 2;
    }

    private static async Task<double> MeasureAsync(RedisClient client, byte[] value, string name, BenchSettings settings)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var gen0Before = GC.CollectionCount(0);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var operations = await PhaseAsync(client, value, name == "GET", settings.Callers, TimeSpan.FromSeconds(settings.Seconds));
        var elapsed = watch.Elapsed.TotalSeconds;
        var perSecond = operations / elapsed;
        var bytesPerOp = (GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / (double)operations;
        // CPU time per operation: how lean the client is, whatever else the machine is running.
        var cpuPerOp = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / operations;
        Console.Error.WriteLine(
            $"Suite.Redis {name}: {perSecond:N0} ops/s ({operations:N0} in {elapsed:0.00} s, {settings.Callers} callers, " +
            $"inline={settings.Inline}, {cpuPerOp:0.00} µs CPU/op, {bytesPerOp:0.#} B allocated/op, {GC.CollectionCount(0) - gen0Before} gen0 GCs)");
        return perSecond;
    }

    private static async Task<long> PhaseAsync(RedisClient client, byte[] value, bool isGet, int callers, TimeSpan duration)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var counts = new long[callers];
        var tasks = new Task[callers];
        for (var c = 0; c < callers; c++)
        {
            var caller = c;
            tasks[c] = Task.Run(async () =>
            {
                long done = 0;
                // Check the clock every 64 operations: cheap, and a phase overshoots by microseconds.
                while ((done & 63) != 0 || Stopwatch.GetTimestamp() < stopAt)
                {
                    // Awaited directly, not through a delegate, so the loop adds no allocation per call.
                    if (isGet)
                        await client.GetAsync(Key);
                    else
                        await client.SetAsync(Key, value);
                    done++;
                }
                counts[caller] = done;
            });
        }
        await Task.WhenAll(tasks);
        return counts.Sum();
    }
}
