using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Suite.ServiceDefaults;

/// <summary>
/// Writes batches of spans to <c>telemetry.spans</c> with binary COPY, applying the telemetry
/// schema's migrations before its first write.
/// </summary>
internal sealed class SpanWriter(string connectionString, string service, int maxAttributeLength, ILogger logger) : IDisposable
{
    private const string Copy = """
        COPY telemetry.spans (trace_id, span_id, parent_span_id, service, scope, name, kind, start_time,
                              duration_ms, status, status_description, attributes, events)
        FROM STDIN (FORMAT BINARY)
        """;

    private NpgsqlDataSource? _dataSource;
    private bool _migrated;

    public async Task WriteAsync(IReadOnlyList<SpanRecord> batch, CancellationToken cancellationToken)
    {
        _dataSource ??= CreateDataSource(connectionString);
        if (!_migrated)
        {
            var migrations = Migration.FromAssembly(typeof(SpanWriter).Assembly);
            await new MigrationRunner(_dataSource, "telemetry", migrations, logger).ApplyAsync(cancellationToken);
            _migrated = true;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var importer = await connection.BeginBinaryImportAsync(Copy, cancellationToken);
        foreach (var span in batch)
        {
            await WriteRowAsync(importer, span, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    public void Dispose() => _dataSource?.Dispose();

    private async Task WriteRowAsync(NpgsqlBinaryImporter importer, SpanRecord span, CancellationToken cancellationToken)
    {
        await importer.StartRowAsync(cancellationToken);
        await importer.WriteAsync(span.TraceId, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(span.SpanId, NpgsqlDbType.Text, cancellationToken);
        await WriteNullableAsync(importer, span.ParentSpanId, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(service, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(span.Scope, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(span.Name, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(span.Kind, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(span.StartTime, NpgsqlDbType.TimestampTz, cancellationToken);
        await importer.WriteAsync(span.DurationMs, NpgsqlDbType.Double, cancellationToken);
        await importer.WriteAsync(span.Status, NpgsqlDbType.Text, cancellationToken);
        await WriteNullableAsync(importer, span.StatusDescription, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(span.AttributesJson(maxAttributeLength), NpgsqlDbType.Jsonb, cancellationToken);
        await WriteNullableAsync(importer, span.EventsJson(maxAttributeLength), NpgsqlDbType.Jsonb, cancellationToken);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);

    private static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        // Small and quick to give up: a slow or absent database must cost drops, not a stuck exporter.
        var settings = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Timeout = 5,
            CommandTimeout = 30,
            MaxPoolSize = 2,
            ApplicationName = "suite-telemetry",
        };
        return NpgsqlDataSource.Create(settings);
    }
}
