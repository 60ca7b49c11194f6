using System.Collections;

namespace Suite.Bench.Messaging;

/// <summary>
/// What <see cref="SseLatencyBench"/> measured. Enumerates as the JSON fields of the benchmark line
/// (<c>sse_p50_ms</c>, <c>sse_p99_ms</c>, <c>sse_max_ms</c>, <c>sse_events_per_s</c>).
/// </summary>
public sealed record SseLatencyResult(double P50Ms, double P99Ms, double MaxMs, double EventsPerSecond, int Events)
    : IEnumerable<KeyValuePair<string, object>>
{
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        yield return new("sse_p50_ms", Math.Round(P50Ms, 3));
        yield return new("sse_p99_ms", Math.Round(P99Ms, 3));
        yield return new("sse_max_ms", Math.Round(MaxMs, 3));
        yield return new("sse_events_per_s", Math.Round(EventsPerSecond));
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
