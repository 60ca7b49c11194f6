namespace Suite.AppHost.Resources;

/// <summary>A redis-server, run from the machine's binary unless an external one is configured.</summary>
public sealed class RedisResource(string name) : IResourceWithConnectionString
{
    public string Name { get; } = name;
}
