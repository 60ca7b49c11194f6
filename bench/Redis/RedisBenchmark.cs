using System.Diagnostics;
using System.Globalization;
using Suite.AppHost.Servers;

namespace Suite.Bench.Redis;

/// <summary>Runs <c>redis-benchmark -P 16 -c 64 -t set,get --csv</c> and returns the mean of its SET and GET requests/s.</summary>
internal static class RedisBenchmark
{
    public static async Task<double> RunAsync(RedisServer server, BenchSettings settings)
    {
        var start = new ProcessStartInfo("redis-benchmark")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-P", "16", "-c", "64",
                     "-t", "set,get", "-n", settings.Requests.ToString(CultureInfo.InvariantCulture), "-d", settings.ValueSize.ToString(CultureInfo.InvariantCulture), "--csv" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-benchmark.");
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"redis-benchmark exited with {process.ExitCode}: {errors}");

        // --csv prints a header line, then "SET","<rps>",... and "GET","<rps>",...
        var rates = new Dictionary<string, double>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(',').Select(f => f.Trim().Trim('"')).ToArray();
            if (fields.Length >= 2 && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var rps))
                rates[fields[0]] = rps;
        }
        if (!rates.TryGetValue("SET", out var set) || !rates.TryGetValue("GET", out var get))
            throw new InvalidOperationException($"Could not read redis-benchmark's output: {output}");
        Console.Error.WriteLine($"redis-benchmark -P 16 -c 64: SET {set:N0} ops/s, GET {get:N0} ops/s ({settings.Requests:N0} requests each)");
        return (set + get) / 2;
    }
}
