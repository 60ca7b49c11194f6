namespace Suite.ServiceDefaults;

/// <summary>
/// Settings of the PostgreSQL span exporter, bound from <c>Suite:Telemetry</c>. Spans go to the
/// <c>telemetry.spans</c> table of the database named by <c>ConnectionStrings:&lt;ConnectionName&gt;</c>
/// when that connection string is set.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>Whether spans are written to PostgreSQL at all.</summary>
    public bool ExportToPostgres { get; set; } = true;

    /// <summary>The connection string name of the database that holds the telemetry schema.</summary>
    public string ConnectionName { get; set; } = "postgres";

    /// <summary>Spans held in memory waiting for export; beyond this, new spans are dropped and counted.</summary>
    public int QueueCapacity { get; set; } = 8192;

    /// <summary>Spans written per COPY.</summary>
    public int BatchSize { get; set; } = 512;

    /// <summary>Longest time a span waits in the queue before an export runs.</summary>
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest string attribute written; longer values (prompts, say) are cut.</summary>
    public int MaxAttributeLength { get; set; } = 4096;
}
