using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Suite.ServiceDefaults;

/// <summary>
/// Binds an options class to its configuration section and checks it when the host starts, so a
/// missing setting stops the service with a message naming the key instead of failing later.
/// </summary>
public static class ValidatedOptionsExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to the section named like the class without its
    /// "Options" suffix (<c>GatewayOptions</c> from <c>Gateway</c>) and validates it at start-up.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IHostApplicationBuilder builder)
        where TOptions : class =>
        builder.AddValidatedOptions<TOptions>(DefaultSection(typeof(TOptions)));

    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and validates its
    /// DataAnnotations attributes at start-up. A failing <c>[Required]</c> reads
    /// "Missing required setting 'Section:Key' (environment: Section__Key)".
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IHostApplicationBuilder builder, string section)
        where TOptions : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(new SettingsValidator<TOptions>(section));
        return builder.Services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    internal static string DefaultSection(Type type) =>
        type.Name.EndsWith("Options", StringComparison.Ordinal) && type.Name.Length > "Options".Length
            ? type.Name[..^"Options".Length]
            : type.Name;
}
