using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Suite.ServiceDefaults;

/// <summary>
/// Applies a service's migrations to its schema: in version order, each once, recorded in
/// <c>&lt;schema&gt;.schema_migrations</c> (version, name, checksum, applied_at). Replicas starting
/// together serialise on a PostgreSQL advisory lock derived from the schema name, so exactly one
/// applies each file and the others find it applied. An applied file whose content changed is
/// an error naming the file.
/// </summary>
public sealed partial class MigrationRunner
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly IReadOnlyList<Migration> _migrations;
    private readonly ILogger _logger;

    /// <summary>Creates a runner for <paramref name="schema"/> (lower-case letters, digits and underscores).</summary>
    public MigrationRunner(NpgsqlDataSource dataSource, string schema, IEnumerable<Migration> migrations, ILogger? logger = null)
    {
        if (!SchemaName().IsMatch(schema))
        {
            throw new ArgumentException($"Schema name '{schema}' must be lower-case letters, digits and underscores.", nameof(schema));
        }

        _dataSource = dataSource;
        _schema = schema;
        _migrations = Migration.Ordered(migrations);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The schema this runner migrates.</summary>
    public string Schema => _schema;

    /// <summary>Applies the pending migrations and returns those this call applied.</summary>
    public async Task<IReadOnlyList<Migration>> ApplyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await LockAsync(connection, cancellationToken);
        try
        {
            await ExecuteAsync(connection, $"""
                CREATE SCHEMA IF NOT EXISTS {_schema};
                CREATE TABLE IF NOT EXISTS {_schema}.schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                );
                """, cancellationToken);

            var applied = await AppliedAsync(connection, cancellationToken);
            var done = new List<Migration>();
            foreach (var migration in _migrations)
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (checksum != migration.Checksum)
                    {
                        throw new MigrationException(
                            $"Migration '{migration.FileName}' was changed after it was applied to schema '{_schema}'. " +
                            "Applied migrations must not be edited; add a new migration instead.");
                    }

                    continue;
                }

                await ApplyOneAsync(connection, migration, cancellationToken);
                done.Add(migration);
                LogApplied(_logger, _schema, migration.FileName);
            }

            // A newer replica may already have applied files this build does not know; during a
            // rolling deployment that is expected, so it is only logged.
            var unknown = applied.Keys.Except(_migrations.Select(m => m.Version)).Order().ToList();
            if (unknown.Count > 0)
            {
                LogUnknown(_logger, _schema, string.Join(", ", unknown));
            }

            return done;
        }
        finally
        {
            await UnlockAsync(connection);
        }
    }

    private async Task ApplyOneAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        // Unqualified names in a migration land in the service's own schema.
        if (!migration.Transactional)
        {
            await ExecuteAsync(connection, $"SET search_path TO {_schema}, public", cancellationToken);
            try
            {
                await ExecuteAsync(connection, migration.Sql, cancellationToken, migration);
            }
            finally
            {
                await ExecuteAsync(connection, "RESET search_path", CancellationToken.None);
            }

            await RecordAsync(connection, null, migration, cancellationToken);
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SET LOCAL search_path TO {_schema}, public", cancellationToken);
        await ExecuteAsync(connection, migration.Sql, cancellationToken, migration);
        await RecordAsync(connection, transaction, migration, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Migration migration, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"INSERT INTO {_schema}.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = migration.Version });
        command.Parameters.Add(new NpgsqlParameter { Value = migration.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = migration.Checksum });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<Dictionary<int, string>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand($"SELECT version, checksum FROM {_schema}.schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    private async Task LockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // No command timeout: another replica may hold the lock for a long migration.
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection) { CommandTimeout = 0 };
        command.Parameters.Add(new NpgsqlParameter { Value = LockKey() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task UnlockAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = LockKey() });
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The connection is broken; the server released the lock with the session.
        }
    }

    private long LockKey() =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"suite:migrations:{_schema}")));

    private async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, Migration? migration = null)
    {
        try
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (migration is not null)
        {
            throw new MigrationException($"Migration '{migration.FileName}' failed on schema '{_schema}': {ex.MessageText}", ex);
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex SchemaName();

    [LoggerMessage(LogLevel.Information, "Schema {Schema}: applied migration {File}")]
    private static partial void LogApplied(ILogger logger, string schema, string file);

    [LoggerMessage(LogLevel.Warning, "Schema {Schema} has migrations this build does not know: {Versions}")]
    private static partial void LogUnknown(ILogger logger, string schema, string versions);
}
