namespace Suite.ServiceDefaults;

/// <summary>A migration set that cannot be applied as it is: an edited applied file, a duplicate version.</summary>
public sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);
