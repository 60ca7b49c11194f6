using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Suite.ServiceDefaults;

/// <summary>
/// One named connection string (<c>ConnectionStrings:&lt;name&gt;</c>), read when the host
/// starts rather than when the builder runs, so test hosts can still supply it late.
/// </summary>
internal sealed class ConnectionStringSettings
{
    public string? ConnectionString { get; set; }

    public static string Key(string name) => $"ConnectionStrings:{name}";

    /// <summary>Registers the named setting and a start-up check that names the missing key.</summary>
    public static void Require(IServiceCollection services, string name)
    {
        services.AddOptions<ConnectionStringSettings>(name)
            .Configure<IConfiguration>((settings, configuration) => settings.ConnectionString = configuration.GetConnectionString(name))
            .Validate(settings => !string.IsNullOrWhiteSpace(settings.ConnectionString), SettingKeys.Missing(Key(name)))
            .ValidateOnStart();
    }

    public static string Get(IServiceProvider services, string name) =>
        services.GetRequiredService<IOptionsMonitor<ConnectionStringSettings>>().Get(name).ConnectionString
        ?? throw new InvalidOperationException(SettingKeys.Missing(Key(name)));
}
