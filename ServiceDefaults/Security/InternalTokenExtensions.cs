using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Suite.ServiceDefaults;

/// <summary>Marks endpoints as internal: callers must present <c>Suite:InternalToken</c>.</summary>
public static class InternalTokenExtensions
{
    /// <summary>
    /// Requires the <c>X-Internal-Token</c> header to equal <c>Suite:InternalToken</c> (compared in
    /// constant time); anything else gets a 401 ProblemDetails. Works on single endpoints and on
    /// groups. The check wraps the endpoint itself, before the body is read, so it holds even if
    /// the middleware pipeline is arranged differently.
    /// </summary>
    public static TBuilder RequireInternalToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            endpoint.Metadata.Add(new InternalTokenCheck.RequiredMetadata());
            var inner = endpoint.RequestDelegate;
            if (inner is not null)
            {
                endpoint.RequestDelegate = context => InternalTokenCheck.InvokeAsync(context, inner);
            }
        });
        return builder;
    }
}
