namespace Suite.ServiceDefaults;

/// <summary>Sends each request through the resilience pipeline of its client and target host.</summary>
internal sealed class ResilienceHandler(ResiliencePipelines pipelines, string clientName) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await pipelines.Get(clientName, request.RequestUri).ExecuteAsync(
            static (state, ct) => new ValueTask<HttpResponseMessage>(state.Handler.SendOnceAsync(state.Request, ct)),
            (Handler: this, Request: request),
            cancellationToken);

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        pipelines.Get(clientName, request.RequestUri).Execute(
            static (state, ct) => state.Handler.SendOnce(state.Request, ct),
            (Handler: this, Request: request),
            cancellationToken);

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private HttpResponseMessage SendOnce(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.Send(request, cancellationToken);
}
