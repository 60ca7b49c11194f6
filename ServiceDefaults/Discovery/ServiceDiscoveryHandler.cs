using Microsoft.Extensions.Options;

namespace Suite.ServiceDefaults;

/// <summary>
/// Rewrites requests for a service name to the service's configured address, and adds the
/// internal token to them. Only discovered (internal) services get the token; a request to any
/// other host goes out untouched.
/// </summary>
internal sealed class ServiceDiscoveryHandler(ServiceEndpointResolver resolver, IOptionsMonitor<InternalTokenOptions> token) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Rewrite(request);
        return base.SendAsync(request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Rewrite(request);
        return base.Send(request, cancellationToken);
    }

    private void Rewrite(HttpRequestMessage request)
    {
        if (request.RequestUri is null || resolver.Resolve(request.RequestUri) is not { } resolved)
        {
            return;
        }

        request.RequestUri = resolved;
        var value = token.CurrentValue.InternalToken;
        if (!string.IsNullOrEmpty(value) && !request.Headers.Contains(InternalTokenOptions.HeaderName))
        {
            request.Headers.TryAddWithoutValidation(InternalTokenOptions.HeaderName, value);
        }
    }
}
