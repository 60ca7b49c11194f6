using Suite.AppHost.Servers;

namespace Suite.Testing;

/// <summary>
/// One real redis-server and one real PostgreSQL per test process, started on first use on free
/// ports in temporary folders and stopped when the process exits. Tests share them and keep apart
/// by key prefix (<see cref="KeyPrefix"/>) or database (<see cref="TestDatabase"/>).
/// </summary>
public static class TestServers
{
    private static readonly Lazy<Task<RedisServer>> SharedRedis = new(StartRedisAsync);
    private static readonly Lazy<Task<PostgresServer>> SharedPostgres = new(StartPostgresAsync);

    /// <summary>The shared redis-server (no password, append-only on).</summary>
    public static Task<RedisServer> RedisAsync() => SharedRedis.Value;

    /// <summary>The shared PostgreSQL (trust authentication on 127.0.0.1, fsync off).</summary>
    public static Task<PostgresServer> PostgresAsync() => SharedPostgres.Value;

    /// <summary>A Redis key prefix no other test uses, e.g. <c>t:3f2a…:</c>.</summary>
    public static string KeyPrefix() => $"t:{Guid.NewGuid():N}:";

    /// <summary>
    /// A private redis-server, for tests that stop, kill or restart it, or need a password.
    /// Its process is recorded so that a killed test run does not leave it behind.
    /// </summary>
    public static async Task<RedisServer> StartPrivateRedisAsync(string? password = null, bool appendOnly = true)
    {
        var server = await RedisServer.StartAsync(new RedisServerSettings
        {
            DataDir = TempDir.Create("redis"),
            Password = password,
            AppendOnly = appendOnly,
        });
        StaleRuns.Record(server.ProcessId);
        TempDir.StopAtExit(server.StopAsync);
        return server;
    }

    private static Task<RedisServer> StartRedisAsync() => StartPrivateRedisAsync();

    private static async Task<PostgresServer> StartPostgresAsync()
    {
        var server = await PostgresServer.StartAsync(new PostgresServerSettings
        {
            DataDir = TempDir.Create("postgres"),
            Durable = false,
        });
        StaleRuns.Record(server.ProcessId);
        if (server.PostmasterPid is { } postmaster)
            StaleRuns.Record(postmaster);
        TempDir.StopAtExit(server.StopAsync);
        return server;
    }
}
