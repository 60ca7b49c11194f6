namespace Suite.ServiceDefaults;

/// <summary>
/// Messages that name a configuration key in both of its forms, so an operator can fix a
/// missing setting from the error alone, whether they edit appsettings.json or the environment.
/// </summary>
internal static class SettingKeys
{
    public static string EnvironmentForm(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    public static string Missing(string key) =>
        $"Missing required setting '{key}' (environment: {EnvironmentForm(key)})";

    public static string Invalid(string key, string problem) =>
        $"Invalid setting '{key}' (environment: {EnvironmentForm(key)}): {problem}";
}
