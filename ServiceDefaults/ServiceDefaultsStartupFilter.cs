using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Suite.ServiceDefaults;

/// <summary>
/// Puts the request-span and drain middleware at the very front of the pipeline, ahead of
/// anything the service adds, so every request is traced and counted in flight.
/// </summary>
internal sealed class ServiceDefaultsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<RequestTelemetryMiddleware>();
        app.UseMiddleware<DrainMiddleware>();
        next(app);
    };
}
