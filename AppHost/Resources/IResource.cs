namespace Suite.AppHost.Resources;

/// <summary>Something the AppHost runs or connects to, known by a name unique in the suite.</summary>
public interface IResource
{
    /// <summary>Lower-case name; it becomes part of environment keys (<c>ConnectionStrings__redis</c>).</summary>
    string Name { get; }
}
