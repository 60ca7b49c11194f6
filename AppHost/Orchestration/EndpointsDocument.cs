namespace Suite.AppHost.Orchestration;

/// <summary>
/// The content of <c>endpoints.json</c>: each service's base URL, the admin key, and the servers'
/// connection strings (kept apart from <see cref="Services"/>, which holds HTTP services only).
/// </summary>
internal sealed record EndpointsDocument(
    IReadOnlyDictionary<string, string> Services,
    string AdminKey,
    IReadOnlyDictionary<string, string> ConnectionStrings);
