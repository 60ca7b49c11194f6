using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Suite.AppHost.Servers;

/// <summary>
/// A child process whose stdout and stderr go line by line to a log sink, and that can be
/// stopped politely (SIGTERM, then SIGKILL after a grace period) or killed outright.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private ServerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _disposed || _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public Task WaitForExitAsync(CancellationToken cancellationToken = default) =>
        _process.WaitForExitAsync(cancellationToken);

    private const string SetSid = "/usr/bin/setsid";

    /// <summary>
    /// Starts <paramref name="fileName"/>. With <paramref name="ownSession"/> it runs under setsid in a
    /// session of its own (same pid: setsid execs), so a Ctrl+C in the terminal reaches only its parent,
    /// which then stops it in order instead of everything dying at once.
    /// </summary>
    public static ServerProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        Action<string>? log,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        bool ownSession = false)
    {
        if (ownSession && File.Exists(SetSid))
        {
            arguments = [fileName, .. arguments];
            fileName = SetSid;
        }
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            startInfo.Environment[key] = value;

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log?.Invoke(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process);
    }

    /// <summary>
    /// Polls <paramref name="isReady"/> until it holds. If the process exits first or
    /// <paramref name="timeout"/> passes, kills it and throws with what it printed last.
    /// </summary>
    public async Task WaitUntilReadyAsync(
        Func<CancellationToken, Task<bool>> isReady,
        TimeSpan timeout,
        RecentLines output,
        string what,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (!await isReady(cancellationToken))
        {
            if (HasExited || watch.Elapsed > timeout)
            {
                await KillAsync();
                throw new InvalidOperationException($"{what} did not start: {output}");
            }
            await Task.Delay(25, cancellationToken);
        }
    }

    /// <summary>Sends SIGTERM and waits up to <paramref name="grace"/>; kills what is still running after that.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (HasExited)
            return;
        Signal(_process.Id, PosixSignal.SIGTERM);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would end it.</summary>
    public async Task KillAsync()
    {
        if (HasExited)
            return;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        await StopAsync(TimeSpan.FromSeconds(10));
        _disposed = true;
        _process.Dispose();
    }

    /// <summary>Sends a POSIX signal to any process id; false when no such process exists.</summary>
    public static bool Signal(int pid, PosixSignal signal)
    {
        var number = signal switch
        {
            PosixSignal.SIGTERM => 15,
            PosixSignal.SIGINT => 2,
            PosixSignal.SIGQUIT => 3,
            PosixSignal.SIGHUP => 1,
            _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "Unsupported signal."),
        };
        return NativeMethods.kill(pid, number) == 0;
    }

    /// <summary>SIGKILL by process id; false when no such process exists.</summary>
    public static bool Kill(int pid) => NativeMethods.kill(pid, 9) == 0;

    /// <summary>True while a process with this id exists (signal 0 probes without sending anything).</summary>
    public static bool IsAlive(int pid) => NativeMethods.kill(pid, 0) == 0;

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int kill(int pid, int sig);
    }
}
