using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Suite.ServiceDefaults;

internal static class DrainExtensions
{
    public static void AddGracefulDrain(this IServiceCollection services)
    {
        services.AddOptions<DrainOptions>().BindConfiguration("Suite");
        services.TryAddSingleton<DrainState>();
        services.AddHostedService<DrainService>();
        services.AddTransient<IStartupFilter, ServiceDefaultsStartupFilter>();

        // The host cancels a stop that outlasts its shutdown timeout (30 s by default), which
        // would cut the drain short; leave room for the drain and for Kestrel's own stop after it.
        services.AddOptions<HostOptions>().Configure<IOptions<DrainOptions>>((host, drain) =>
        {
            var needed = drain.Value.DrainTimeout + TimeSpan.FromSeconds(10);
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });
    }
}
