namespace Suite.AppHost.Resources;

/// <summary>A PostgreSQL server, run from the machine's binaries unless an external one is configured.</summary>
public sealed class PostgresResource(string name) : IResourceWithConnectionString
{
    public string Name { get; } = name;
}
