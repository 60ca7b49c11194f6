namespace Suite.ServiceDefaults;

/// <summary>
/// The shared token internal services require on every call (<c>Suite:InternalToken</c>, environment
/// <c>Suite__InternalToken</c>). HttpClients that reach a discovered service send it automatically.
/// </summary>
public sealed class InternalTokenOptions
{
    /// <summary>The header that carries the token.</summary>
    public const string HeaderName = "X-Internal-Token";

    /// <summary>The token; when unset, endpoints that require it refuse every call.</summary>
    public string? InternalToken { get; set; }
}
