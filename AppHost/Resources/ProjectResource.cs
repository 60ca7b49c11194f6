namespace Suite.AppHost.Resources;

/// <summary>
/// A .NET project of the suite, run from its build output with the environment an Aspire AppHost
/// would give it.
/// </summary>
public sealed class ProjectResource(string name, string projectPath) : IResource
{
    private readonly List<IResource> _references = [];
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    /// <summary>Path of the .csproj relative to the repository root, with '/' separators.</summary>
    public string ProjectPath { get; } = projectPath;

    /// <summary>The assembly name, which by the suite's convention is the project file's name.</summary>
    public string AssemblyName => Path.GetFileNameWithoutExtension(ProjectPath);

    /// <summary>What this project is wired to; each is healthy before the project starts.</summary>
    public IReadOnlyList<IResource> References => _references;

    public int Replicas { get; internal set; } = 1;

    /// <summary>Reachable from outside the suite (the Gateway): listed first and marked in the summary.</summary>
    public bool IsExternal { get; internal set; }

    /// <summary>A fixed port for the external endpoint; null picks a free one on each run.</summary>
    public int? ExternalPort { get; internal set; }

    /// <summary>Extra environment variables, applied after the suite's own.</summary>
    public IReadOnlyDictionary<string, string> Environment => _environment;

    internal void AddReference(IResource resource)
    {
        if (ReferenceEquals(resource, this))
            throw new InvalidOperationException($"'{Name}' cannot reference itself.");
        if (!_references.Contains(resource))
            _references.Add(resource);
    }

    internal void SetEnvironment(string key, string value) => _environment[key] = value;
}
