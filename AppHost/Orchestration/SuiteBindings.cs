namespace Suite.AppHost.Orchestration;

/// <summary>What the suite resolved at start-up, from which every service's environment is made.</summary>
internal sealed record SuiteBindings(
    IReadOnlyDictionary<string, string> ConnectionStrings,
    IReadOnlyDictionary<string, string> ServiceUrls,
    SuiteSecrets Secrets,
    string? OtlpEndpoint);
