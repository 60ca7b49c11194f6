using System.Diagnostics;
using Suite.AppHost.Servers;

namespace Suite.AppHost.Orchestration;

/// <summary>
/// Keeps one service process running: starts it with its lines going to the log under its name,
/// probes its health, and restarts it with exponential backoff whenever it exits, until stopped.
/// </summary>
internal sealed class ProcessSupervisor
{
    private readonly ProcessLaunch _launch;
    private readonly ConsoleLog _log;
    private readonly Func<CancellationToken, Task<HealthStatus>> _probe;
    private readonly RestartBackoff _backoff;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstHealthy = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private ServerProcess? _current;
    private Task? _loop;
    private long _healthySince;

    public ProcessSupervisor(ProcessLaunch launch, ConsoleLog log, Func<CancellationToken, Task<HealthStatus>> probe, RestartBackoff? backoff = null)
    {
        _launch = launch;
        _log = log;
        _probe = probe;
        _backoff = backoff ?? RestartBackoff.Default();
    }

    public string Name => _launch.Name;

    /// <summary>The running process, or null between a crash and its restart.</summary>
    public int? ProcessId
    {
        get
        {
            lock (_gate)
                return _current is { HasExited: false } process ? process.Id : null;
        }
    }

    public int Restarts { get; private set; }

    /// <summary>Completes the first time the process passes its health probe.</summary>
    public Task FirstHealthy => _firstHealthy.Task;

    public void Start() => _loop ??= Task.Run(RunAsync);

    /// <summary>SIGTERM, up to <paramref name="grace"/> to drain, then SIGKILL; no restart after this.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        ServerProcess? process;
        lock (_gate)
        {
            _stopping.Cancel();
            process = _current;
        }
        if (process is not null && !process.HasExited)
        {
            var watch = Stopwatch.StartNew();
            await process.StopAsync(grace);
            _log.Info(watch.Elapsed >= grace
                ? $"{Name} did not stop within {Describe(grace)} of SIGTERM; killed it"
                : $"{Name} stopped (exit code {process.ExitCode})");
        }
        if (_loop is not null)
            await _loop;
        if (process is not null)
            await process.DisposeAsync();
    }

    /// <summary>SIGKILL at once, for when the AppHost itself is going down hard.</summary>
    public void Kill()
    {
        lock (_gate)
        {
            _stopping.Cancel();
            if (_current is { HasExited: false } process)
                ServerProcess.Kill(process.Id);
        }
    }

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            ServerProcess? process = null;
            try
            {
                lock (_gate)
                {
                    if (stopping.IsCancellationRequested)
                        return;
                    // A session of its own: Ctrl+C in the terminal reaches only the AppHost, which then drains it.
                    process = _current = ServerProcess.Start(
                        _launch.FileName, _launch.Arguments, _log.For(Name), _launch.WorkingDirectory, _launch.Environment, ownSession: true);
                }
                Interlocked.Exchange(ref _healthySince, 0);
                var exited = process.WaitForExitAsync(CancellationToken.None);
                _ = WatchHealthAsync(exited, stopping);
                await exited;
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException)
            {
                _log.Info($"{Name} could not be started: {ex.Message}");
            }
            if (stopping.IsCancellationRequested)
                return;

            var since = Interlocked.Read(ref _healthySince);
            _backoff.ExitedAfterHealthyFor(since == 0 ? null : Stopwatch.GetElapsedTime(since));
            var delay = _backoff.Next();
            Restarts++;
            var what = process is { HasExited: true } ? $"{Name} exited with code {process.ExitCode}" : $"{Name} did not start";
            _log.Info($"{what}; restarting in {Describe(delay)} (restart #{Restarts})");
            if (process is not null)
                await process.DisposeAsync();
            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>"1 s", "30 s", "250 ms".</summary>
    internal static string Describe(TimeSpan duration) =>
        duration >= TimeSpan.FromSeconds(1) ? $"{duration.TotalSeconds:0.#} s" : $"{duration.TotalMilliseconds:0} ms";

    private async Task WatchHealthAsync(Task exited, CancellationToken stopping)
    {
        try
        {
            if (!await HealthWaiter.WaitAsync(Name, _probe, _log.Info, stopping, giveUp: exited))
                return;
            Interlocked.Exchange(ref _healthySince, Stopwatch.GetTimestamp());
            if (Restarts > 0)
                _log.Info($"{Name} is healthy again (after restart #{Restarts})");
            _firstHealthy.TrySetResult();
        }
        catch (OperationCanceledException)
        {
            // Stopping: nobody waits for health any more.
        }
    }
}
