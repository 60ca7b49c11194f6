using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Suite.Messaging;

/// <summary>
/// The PostgreSQL side of the job store: the status row in <c>jobs.jobs</c>. Status changes are
/// conditional updates, so a row leaves <c>queued</c>/<c>running</c> once and never changes after.
/// </summary>
internal sealed class JobTable(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, kind, owner, status, created, started, finished, attempt, error, result_summary, last_event_id";

    public async Task InsertAsync(string id, string kind, string owner, DateTimeOffset created, string? lastEventId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO jobs.jobs (id, kind, owner, status, created, last_event_id) VALUES ($1, $2, $3, 'queued', $4, $5)");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = created });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)lastEventId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<JobInfo?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM jobs.jobs WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>The owner's jobs newest first, starting after (older than) <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<JobInfo>> ListAsync(string owner, string? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(after is null
            ? $"SELECT {Columns} FROM jobs.jobs WHERE owner = $1 ORDER BY id DESC LIMIT $2"
            : $"SELECT {Columns} FROM jobs.jobs WHERE owner = $1 AND id < $3 ORDER BY id DESC LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        if (after is not null)
            command.Parameters.Add(new NpgsqlParameter { Value = after });
        var jobs = new List<JobInfo>(Math.Min(limit, 128));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            jobs.Add(Read(reader));
        return jobs;
    }

    /// <summary>Records a start, unless the row has ended or already shows a later attempt.</summary>
    public async Task MarkRunningAsync(string id, int attempt, string eventId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE jobs.jobs SET status = 'running', started = coalesce(started, now()), attempt = $2, last_event_id = $3
            WHERE id = $1 AND status IN ('queued', 'running') AND attempt < $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = attempt });
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Brings the row in line with how the job ended. Only a row still queued or running changes, and
    /// every caller passes the one outcome the state hash decided: the row gets one terminal status.
    /// </summary>
    public async Task<bool> MarkEndedAsync(string id, JobTerminal ended, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE jobs.jobs SET status = $2, finished = $3, attempt = greatest(attempt, $4), error = $5, result_summary = $6, last_event_id = $7
            WHERE id = $1 AND status IN ('queued', 'running')
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = ended.Status.ToText() });
        command.Parameters.Add(new NpgsqlParameter { Value = ended.Finished });
        command.Parameters.Add(new NpgsqlParameter { Value = ended.Attempt });
        command.Parameters.Add(Json(ended.ErrorJson));
        command.Parameters.Add(Json(ended.ResultJson));
        command.Parameters.Add(new NpgsqlParameter { Value = ended.TerminalEventId });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static NpgsqlParameter Json(string? json) =>
        new() { Value = (object?)json ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private static JobInfo Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Kind = reader.GetString(1),
        Owner = reader.GetString(2),
        Status = JobStatusText.Parse(reader.GetString(3)),
        Created = reader.GetFieldValue<DateTimeOffset>(4),
        Started = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
        Finished = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
        Attempt = reader.GetInt32(7),
        Error = reader.IsDBNull(8) ? null : JsonSerializer.Deserialize<JobError>(reader.GetString(8), JobJson.Options),
        ResultSummary = reader.IsDBNull(9) ? null : JsonSerializer.Deserialize<JsonElement>(reader.GetString(9)),
        LastEventId = reader.IsDBNull(10) ? null : reader.GetString(10),
    };
}
