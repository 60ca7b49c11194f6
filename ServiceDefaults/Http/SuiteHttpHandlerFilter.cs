using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Suite.ServiceDefaults;

/// <summary>
/// Puts the discovery and resilience handlers at the front of each client's chain, after the
/// client's own configuration has run. A filter is the one hook that knows the client's name,
/// which picks the client's settings and circuit.
/// </summary>
internal sealed class SuiteHttpHandlerFilter(
    IOptionsMonitor<SuiteHttpHandlerFilter.Selection> selections,
    ResiliencePipelines pipelines,
    ServiceEndpointResolver resolver,
    IOptionsMonitor<InternalTokenOptions> token) : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        var name = builder.Name ?? Options.DefaultName;
        var selection = selections.Get(name);
        var index = 0;
        if (selection.Discovery)
        {
            // Outermost, so retries and circuits see the real host.
            builder.AdditionalHandlers.Insert(index++, new ServiceDiscoveryHandler(resolver, token));
        }

        if (selection.Resilience)
        {
            // Ahead of the client's own handlers, so those run again on every attempt.
            builder.AdditionalHandlers.Insert(index, new ResilienceHandler(pipelines, name));
        }
    };

    /// <summary>Which of the suite's handlers a client gets.</summary>
    internal sealed class Selection
    {
        public bool Discovery { get; set; }

        public bool Resilience { get; set; }
    }
}
