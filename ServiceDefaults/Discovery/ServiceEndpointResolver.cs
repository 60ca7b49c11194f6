using System.Net;
using Microsoft.Extensions.Configuration;

namespace Suite.ServiceDefaults;

/// <summary>
/// Resolves <c>http://inference/...</c> to the address configured under
/// <c>services:inference:http:0</c> (environment <c>services__inference__http__0</c>), the key an
/// Aspire AppHost injects. A host counts as a service name when it is a single DNS label other
/// than <c>localhost</c>; <c>https+http://name</c> prefers the https address and falls back to http.
/// </summary>
public sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    /// <summary>
    /// The URI with the service's configured address in place of its name, or null when the URI
    /// does not name a service. Throws when it names a service that has no configured address.
    /// </summary>
    public Uri? Resolve(Uri uri)
    {
        if (!uri.IsAbsoluteUri || uri.HostNameType != UriHostNameType.Dns
            || uri.Host.Contains('.') || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var schemes = uri.Scheme.Split('+');
        foreach (var scheme in schemes)
        {
            if (configuration[Key(uri.Host, scheme)] is { Length: > 0 } address)
            {
                return Combine(new Uri(address, UriKind.Absolute), uri);
            }
        }

        var key = Key(uri.Host, schemes[^1]);
        throw new InvalidOperationException(
            $"No address is configured for service '{uri.Host}': set '{key}' (environment: {SettingKeys.EnvironmentForm(key)}).");
    }

    /// <summary>The configured base address of a service, e.g. <c>Address("inference")</c>.</summary>
    public Uri Address(string serviceName, string scheme = "http") =>
        Resolve(new Uri($"{scheme}://{serviceName}/")) ?? throw new ArgumentException($"'{serviceName}' is not a service name.", nameof(serviceName));

    private static string Key(string service, string scheme) => $"services:{service}:{scheme}:0";

    private static Uri Combine(Uri address, Uri request)
    {
        var basePath = address.AbsolutePath.TrimEnd('/');
        return new Uri($"{address.Scheme}://{address.Authority}{basePath}{request.PathAndQuery}", UriKind.Absolute);
    }
}
