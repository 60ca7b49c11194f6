namespace Suite.AppHost.Servers;

/// <summary>How to run a local PostgreSQL server.</summary>
public sealed class PostgresServerSettings
{
    /// <summary>Folder that holds the cluster (in <c>pgdata/</c>); initialised when empty.</summary>
    public required string DataDir { get; init; }

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>Password of the <c>postgres</c> role (scram-sha-256); null means trust on 127.0.0.1 only.</summary>
    public string? Password { get; init; }

    /// <summary>
    /// False trades crash safety for speed (fsync off), which suits throw-away test clusters only.
    /// </summary>
    public bool Durable { get; init; } = true;

    /// <summary>Receives each line the server prints.</summary>
    public Action<string>? Log { get; init; }
}
