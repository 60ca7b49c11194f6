using System.Diagnostics.Metrics;

namespace Suite.Messaging;

/// <summary>Metrics of the job event endpoints, on the host's meter "Suite.Messaging".</summary>
internal sealed class JobMetrics(IMeterFactory meters)
{
    private readonly Meter _meter = meters.Create("Suite.Messaging");

    public UpDownCounter<long> Connections => field ??=
        _meter.CreateUpDownCounter<long>("suite.jobs.sse.connections", "{connection}", "Open SSE connections of job events.");

    public Counter<long> EventsSent => field ??=
        _meter.CreateCounter<long>("suite.jobs.sse.events", "{event}", "Job events written to SSE clients.");
}
