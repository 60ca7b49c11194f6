using Microsoft.Extensions.Hosting;

namespace Suite.ServiceDefaults;

/// <summary>
/// Applies the service's migrations in <see cref="IHostedLifecycleService.StartingAsync"/>, which
/// the host runs before any hosted service starts, Kestrel included: no request meets an old schema.
/// </summary>
internal sealed class MigrationService(MigrationRunner runner) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken) => await runner.ApplyAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
