namespace Suite.AppHost.Resources;

/// <summary>Handle on a declared resource, for chaining <c>With*</c> calls as in an Aspire AppHost.</summary>
public interface IResourceBuilder<out T> where T : IResource
{
    T Resource { get; }
}
