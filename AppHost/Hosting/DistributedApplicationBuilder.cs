using System.Text.RegularExpressions;
using Suite.AppHost.Resources;

namespace Suite.AppHost.Hosting;

/// <summary>Collects the suite's resources, as Aspire's builder does; <see cref="Build"/> checks the graph.</summary>
public sealed partial class DistributedApplicationBuilder
{
    private readonly List<IResource> _resources = [];

    internal DistributedApplicationBuilder(AppHostOptions options) => Options = options;

    public AppHostOptions Options { get; }

    public IReadOnlyList<IResource> Resources => _resources;

    public IResourceBuilder<RedisResource> AddRedis(string name) => Add(new RedisResource(name));

    public IResourceBuilder<PostgresResource> AddPostgres(string name) => Add(new PostgresResource(name));

    /// <summary>A project by its path from the repository root, e.g. <c>services/Gateway/Suite.Gateway.csproj</c>.</summary>
    public IResourceBuilder<ProjectResource> AddProject(string name, string projectPath)
    {
        if (!projectPath.EndsWith(".csproj", StringComparison.Ordinal) || Path.IsPathRooted(projectPath))
            throw new ArgumentException($"'{projectPath}' is not a .csproj path relative to the repository root.", nameof(projectPath));
        return Add(new ProjectResource(name, projectPath.Replace('\\', '/')));
    }

    /// <summary>Checks the references and orders the resources so that each comes after what it references.</summary>
    public DistributedApplication Build() => new(Options, InDependencyOrder());

    private IResourceBuilder<T> Add<T>(T resource) where T : IResource
    {
        if (!ValidName().IsMatch(resource.Name))
            throw new ArgumentException($"Resource name '{resource.Name}' must be lower-case letters, digits and '-', starting with a letter.");
        if (_resources.Any(r => r.Name == resource.Name))
            throw new ArgumentException($"A resource named '{resource.Name}' is already declared.");
        _resources.Add(resource);
        return new ResourceBuilder<T>(resource);
    }

    private List<IResource> InDependencyOrder()
    {
        var ordered = new List<IResource>();
        var visiting = new HashSet<IResource>();
        void Visit(IResource resource, string path)
        {
            if (ordered.Contains(resource))
                return;
            if (!visiting.Add(resource))
                throw new InvalidOperationException($"References form a cycle: {path}.");
            foreach (var reference in (resource as ProjectResource)?.References ?? [])
            {
                if (!_resources.Contains(reference))
                    throw new InvalidOperationException($"'{resource.Name}' references '{reference.Name}', which this builder did not declare.");
                Visit(reference, $"{path} -> {reference.Name}");
            }
            visiting.Remove(resource);
            ordered.Add(resource);
        }
        foreach (var resource in _resources)
            Visit(resource, resource.Name);
        return ordered;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex ValidName();

    private sealed class ResourceBuilder<T>(T resource) : IResourceBuilder<T> where T : IResource
    {
        public T Resource { get; } = resource;
    }
}
