namespace Suite.AppHost.Orchestration;

/// <summary>The secrets the AppHost generates once and keeps in the state folder.</summary>
internal sealed record SuiteSecrets(string RedisPassword, string PostgresPassword, string AdminKey, string InternalToken);
