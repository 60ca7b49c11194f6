namespace Suite.AppHost.Servers;

/// <summary>How to run a local redis-server.</summary>
public sealed class RedisServerSettings
{
    /// <summary>Folder for the append-only file and the log; created when missing.</summary>
    public required string DataDir { get; init; }

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>When set, clients must AUTH with it (requirepass).</summary>
    public string? Password { get; init; }

    /// <summary>appendonly yes, appendfsync everysec: an acknowledged write survives a restart.</summary>
    public bool AppendOnly { get; init; } = true;

    /// <summary>Receives each line redis-server prints.</summary>
    public Action<string>? Log { get; init; }
}
