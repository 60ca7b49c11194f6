using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Suite.ServiceDefaults;

/// <summary>
/// Completes ASP.NET Core's request span with what the OpenTelemetry ASP.NET Core instrumentation
/// would add (route, status code, error status) and leaves probe requests untraced: a probe every
/// few seconds would drown real traffic in the span table.
/// </summary>
internal sealed class RequestTelemetryMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var activity = Activity.Current;
        if (activity is null || activity.Kind != ActivityKind.Server || activity.Source.Name != "Microsoft.AspNetCore")
        {
            await next(context);
            return;
        }

        if (HealthEndpoints.IsProbe(context.Request.Path))
        {
            activity.IsAllDataRequested = false;
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            await next(context);
            return;
        }

        activity.SetTag("http.request.method", context.Request.Method);
        activity.SetTag("url.scheme", context.Request.Scheme);
        activity.SetTag("url.path", context.Request.Path.Value);
        try
        {
            await next(context);
        }
        catch (Exception ex)
        {
            activity.AddException(ex);
            activity.SetTag("error.type", ex.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error);
            throw;
        }
        finally
        {
            var status = context.Response.StatusCode;
            activity.SetTag("http.response.status_code", status);
            if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route })
            {
                activity.SetTag("http.route", route);
                activity.DisplayName = $"{context.Request.Method} {route}";
            }
            else
            {
                // No route: the raw path would give every unknown URL a span name of its own.
                activity.DisplayName = context.Request.Method;
            }

            if (status >= StatusCodes.Status500InternalServerError)
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    }
}
