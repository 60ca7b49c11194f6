using Npgsql;

namespace Suite.Testing;

/// <summary>A fresh PostgreSQL database on the shared server, dropped on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private TestDatabase(string name, string connectionString, string adminConnectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        _adminConnectionString = adminConnectionString;
    }

    public string Name { get; }

    /// <summary>Npgsql connection string to this database.</summary>
    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var server = await TestServers.PostgresAsync();
        var name = $"t_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new TestDatabase(name, server.ConnectionStringFor(name), server.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        // Pools keep idle connections open; clear ours and force out anyone else's.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
