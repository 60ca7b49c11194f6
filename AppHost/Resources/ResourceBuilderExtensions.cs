namespace Suite.AppHost.Resources;

/// <summary>The <c>With*</c> calls of the suite's AppHost, named as Aspire names them.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Injects <c>ConnectionStrings__&lt;name&gt;</c>; the project starts once the server answers.</summary>
    public static IResourceBuilder<ProjectResource> WithReference(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<IResourceWithConnectionString> source)
    {
        builder.Resource.AddReference(source.Resource);
        return builder;
    }

    /// <summary>Injects <c>services__&lt;name&gt;__http__0</c>; the project starts once the other's /health is 200.</summary>
    public static IResourceBuilder<ProjectResource> WithReference(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ProjectResource> service)
    {
        builder.Resource.AddReference(service.Resource);
        return builder;
    }

    /// <summary>Runs <paramref name="replicas"/> processes, each on its own port, behind one address.</summary>
    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    /// <summary>Marks the project as the suite's door from outside; <paramref name="port"/> pins its address.</summary>
    public static IResourceBuilder<ProjectResource> WithExternalHttpEndpoint(
        this IResourceBuilder<ProjectResource> builder, int? port = null)
    {
        if (port is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(port), port, "A TCP port is between 1 and 65535.");
        builder.Resource.IsExternal = true;
        builder.Resource.ExternalPort = port;
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithEnvironment(
        this IResourceBuilder<ProjectResource> builder, string key, string value)
    {
        builder.Resource.SetEnvironment(key, value);
        return builder;
    }
}
