using System.Globalization;

namespace Suite.Bench.Redis;

/// <summary>Command-line settings: <c>--seconds 3 --warmup 1 --callers 64 --requests 3000000 --inline --client-only</c>.</summary>
internal sealed record BenchSettings(double Seconds, double WarmupSeconds, int Callers, int Requests, bool Inline, int ValueSize, bool ClientOnly)
{
    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings(Seconds: 3, WarmupSeconds: 1, Callers: 64, Requests: 3_000_000, Inline: false, ValueSize: 3, ClientOnly: false);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            settings = args[i] switch
            {
                "--seconds" => settings with { Seconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--warmup" => settings with { WarmupSeconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--callers" => settings with { Callers = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--requests" => settings with { Requests = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--value-size" => settings with { ValueSize = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--inline" => settings with { Inline = true },
                "--client-only" => settings with { ClientOnly = true }, // for profiling: no redis-benchmark runs
                _ => throw new ArgumentException($"Unknown argument {args[i]}"),
            };
        }
        return settings;
    }
}
