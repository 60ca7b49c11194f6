using Microsoft.AspNetCore.Http;

namespace Suite.Messaging;

/// <summary>
/// Says who is calling the jobs endpoints: the owner string jobs are recorded under, or null when the
/// caller cannot be identified (the endpoints then answer 401). A caller sees only the jobs it owns.
/// The Gateway registers one that maps virtual keys; <see cref="DefaultJobOwnerResolver"/> is used otherwise.
/// </summary>
public interface IJobOwnerResolver
{
    ValueTask<string?> ResolveOwnerAsync(HttpContext context);
}
