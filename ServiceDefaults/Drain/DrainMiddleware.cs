using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Suite.ServiceDefaults;

/// <summary>
/// Counts in-flight requests and, while draining, refuses new ones with 503 and
/// <c>Retry-After</c> so clients go to another replica. Probes pass through uncounted.
/// </summary>
internal sealed class DrainMiddleware(RequestDelegate next, DrainState state, IOptions<DrainOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (HealthEndpoints.IsProbe(context.Request.Path))
        {
            await next(context);
            return;
        }

        if (!state.TryEnter())
        {
            await RefuseAsync(context);
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            state.Exit();
        }
    }

    private async Task RefuseAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(options.Value.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Closing the connection makes keep-alive clients reconnect, likely to another replica.
        context.Response.Headers.Connection = "close";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service is shutting down",
                Detail = "This instance is draining and takes no new work; retry the request.",
            },
        });
    }
}
