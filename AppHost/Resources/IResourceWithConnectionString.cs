namespace Suite.AppHost.Resources;

/// <summary>
/// A server that services reach through <c>ConnectionStrings__&lt;name&gt;</c>. Setting that variable in the
/// AppHost's own environment points the suite at an external server instead of a local one.
/// </summary>
public interface IResourceWithConnectionString : IResource
{
    /// <summary>The environment key that carries the connection string, Aspire's convention.</summary>
    string ConnectionStringEnvironmentVariable => $"ConnectionStrings__{Name}";
}
