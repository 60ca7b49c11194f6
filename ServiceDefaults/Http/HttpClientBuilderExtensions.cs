using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;

namespace Suite.ServiceDefaults;

/// <summary>
/// Resilience and service discovery for HttpClients. <c>AddServiceDefaults</c> applies both to
/// every client (through <c>ConfigureHttpClientDefaults</c>); call these on one client to change
/// its settings or to take a handler off it.
/// </summary>
public static class HttpClientBuilderExtensions
{
    /// <summary>
    /// Gives the client the resilience handler (total and per-attempt timeout, retry with
    /// exponential backoff and jitter honouring <c>Retry-After</c>, circuit breaker) and applies
    /// <paramref name="configure"/> to its settings. A client gets one handler however often this is called.
    /// </summary>
    public static IHttpClientBuilder AddSuiteResilience(this IHttpClientBuilder builder, Action<HttpResilienceOptions>? configure = null)
    {
        AddHandlerFilter(builder.Services);
        // A null name (the defaults builder) configures every client.
        builder.Services.Configure<SuiteHttpHandlerFilter.Selection>(builder.Name, s => s.Resilience = true);
        if (configure is not null)
        {
            builder.Services.Configure(builder.Name, configure);
        }

        return builder;
    }

    /// <summary>
    /// Takes the resilience handler off this client, for one that does its own retries or
    /// fallbacks. Call it after <c>AddServiceDefaults</c>.
    /// </summary>
    public static IHttpClientBuilder RemoveSuiteResilience(this IHttpClientBuilder builder)
    {
        builder.Services.Configure<SuiteHttpHandlerFilter.Selection>(builder.Name, s => s.Resilience = false);
        return builder;
    }

    /// <summary>
    /// Resolves service names (<c>http://inference</c>) from <c>services:&lt;name&gt;:http:0</c> and
    /// sends the internal token to them.
    /// </summary>
    public static IHttpClientBuilder AddSuiteServiceDiscovery(this IHttpClientBuilder builder)
    {
        AddHandlerFilter(builder.Services);
        builder.Services.Configure<SuiteHttpHandlerFilter.Selection>(builder.Name, s => s.Discovery = true);
        return builder;
    }

    private static void AddHandlerFilter(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ResiliencePipelines>();
        services.TryAddSingleton<ServiceEndpointResolver>();
        services.AddOptions<InternalTokenOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, SuiteHttpHandlerFilter>());
    }
}
