namespace Suite.AppHost.Orchestration;

/// <summary>The outcome of one health probe, with a description to show while waiting.</summary>
internal readonly record struct HealthStatus(bool IsHealthy, string Description)
{
    public static HealthStatus Healthy { get; } = new(true, "healthy");

    public static HealthStatus Unhealthy(string description) => new(false, description);
}
