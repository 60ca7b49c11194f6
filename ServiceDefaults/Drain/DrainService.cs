using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Suite.ServiceDefaults;

/// <summary>
/// Runs the drain. The host's stop path (SIGTERM through the console lifetime, or any
/// StopApplication) reaches <see cref="StoppingAsync"/> before Kestrel stops, so the drain happens
/// while the server still answers; a drain begun directly through <see cref="DrainState"/> ends by
/// stopping the host. Catching SIGTERM here instead would race the console lifetime's own handler,
/// which stops the host at once.
/// </summary>
internal sealed partial class DrainService(
    DrainState state,
    IOptions<DrainOptions> options,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DrainService> logger) : IHostedLifecycleService
{
    private readonly Lock _gate = new();
    private Task? _drain;
    private CancellationTokenRegistration _registration;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = state.Draining.Register(() => _ = DrainTask());
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.BeginDrain();
        try
        {
            await DrainTask().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogShutdownTimeout(logger, state.InFlight);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => _registration.DisposeAsync().AsTask();

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Task DrainTask()
    {
        lock (_gate)
        {
            return _drain ??= Task.Run(DrainAsync);
        }
    }

    private async Task DrainAsync()
    {
        var settings = options.Value;
        var delay = settings.DrainDelay ?? (environment.IsDevelopment() ? TimeSpan.Zero : TimeSpan.FromSeconds(5));
        var started = time.GetTimestamp();
        LogDraining(logger, state.InFlight, delay, settings.DrainTimeout);

        using var timeout = new CancellationTokenSource(settings.DrainTimeout, time);
        try
        {
            await Task.WhenAll(Task.Delay(delay, time, timeout.Token), state.WhenIdleAsync(timeout.Token));
            LogDrained(logger, time.GetElapsedTime(started));
        }
        catch (OperationCanceledException)
        {
            LogDrainTimeout(logger, state.InFlight, settings.DrainTimeout);
        }

        lifetime.StopApplication();
    }

    [LoggerMessage(LogLevel.Information, "Draining: refusing new work; {InFlight} requests in flight, delay {Delay}, timeout {Timeout}")]
    private static partial void LogDraining(ILogger logger, int inFlight, TimeSpan delay, TimeSpan timeout);

    [LoggerMessage(LogLevel.Information, "Drained in {Elapsed}; stopping")]
    private static partial void LogDrained(ILogger logger, TimeSpan elapsed);

    [LoggerMessage(LogLevel.Warning, "Drain timeout {Timeout} passed with {InFlight} requests still in flight; stopping anyway")]
    private static partial void LogDrainTimeout(ILogger logger, int inFlight, TimeSpan timeout);

    [LoggerMessage(LogLevel.Warning, "Host shutdown timeout reached during the drain with {InFlight} requests in flight")]
    private static partial void LogShutdownTimeout(ILogger logger, int inFlight);
}
