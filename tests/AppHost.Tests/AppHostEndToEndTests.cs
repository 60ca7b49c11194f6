using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Suite.AppHost.Servers;
using Suite.Testing;
using Xunit.Abstractions;

namespace Suite.AppHost.Tests;

/// <summary>The built Suite.AppHost.dll, run as a user runs it, on a state folder of its own.</summary>
public sealed class AppHostEndToEndTests(ITestOutputHelper testOutput) : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RestartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly ConcurrentQueue<string> _output = new();
    private Process? _appHost;

    [Fact]
    public async Task The_AppHost_serves_the_gateway_restarts_it_after_a_kill_and_leaves_no_process_behind_on_SIGTERM()
    {
        var stateDir = TempDir.Create("apphost");
        var appHost = StartAppHost(stateDir);
        var endpointsPath = Path.Combine(stateDir, "endpoints.json");

        // Up: endpoints.json appears once everything is healthy.
        await Eventually.Until(() => File.Exists(endpointsPath) || appHost.HasExited, StartTimeout, "the AppHost wrote endpoints.json");
        Assert.False(appHost.HasExited, "the AppHost exited during start-up");
        using var endpoints = JsonDocument.Parse(File.ReadAllText(endpointsPath));
        var gateway = endpoints.RootElement.GetProperty("services").GetProperty("gateway").GetString()!;
        Assert.StartsWith("sk-admin-", endpoints.RootElement.GetProperty("adminKey").GetString());
        Assert.Equal(HttpStatusCode.OK, await HealthAsync(gateway));
        await Eventually.Until(() => _output.Any(line => line.Contains("admin key")), RestartTimeout, "the AppHost printed the summary");

        // Crash: SIGKILL the gateway; the AppHost restarts it on the same address.
        var killed = GatewayProcess(appHost.Id);
        ServerProcess.Kill(killed.Pid);
        await Eventually.Until(
            async () => GatewayProcessOrNull(appHost.Id) is { } now && now.Pid != killed.Pid && await HealthAsync(gateway) == HttpStatusCode.OK,
            RestartTimeout, "a new gateway process answers /health");
        await Eventually.Until(
            () => _output.Any(line => line.Contains("gateway exited with code 137; restarting in 1 s (restart #1)")),
            RestartTimeout, "the AppHost logged the restart");

        // Stop: SIGTERM drains everything; no process of this run is left.
        var processes = ProcessesOfThisRun(appHost.Id, stateDir);
        Assert.Contains(processes, p => p.CommandLine.Contains("redis-server"));
        Assert.Contains(processes, p => p.CommandLine.Contains("postgres") && p.CommandLine.Contains(stateDir));
        Assert.Contains(processes, p => p.CommandLine.Contains("Suite.Gateway.dll"));
        ServerProcess.Signal(appHost.Id, PosixSignal.SIGTERM);
        using (var timeout = new CancellationTokenSource(StopTimeout))
            await appHost.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, appHost.ExitCode);
        Assert.Empty(processes.Where(ProcessTable.IsRunning).Select(p => $"{p.Pid} {p.CommandLine}"));
        Assert.False(File.Exists(endpointsPath), "endpoints.json is removed when the suite stops");
    }

    private Process StartAppHost(string stateDir)
    {
        var root = Repository.Root;
        var dll = Path.Combine(root, "AppHost", "bin", Configuration, "net10.0", "Suite.AppHost.dll");
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { dll, "--root", root, "--state-dir", stateDir, "--shutdown-timeout", "10" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The suite must start its own servers, whatever this shell points at.
        startInfo.Environment.Remove("ConnectionStrings__redis");
        startInfo.Environment.Remove("ConnectionStrings__postgres");
        _appHost = Process.Start(startInfo)!;
        _appHost.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _appHost.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _appHost.BeginOutputReadLine();
        _appHost.BeginErrorReadLine();
        return _appHost;
    }

    private static async Task<HttpStatusCode> HealthAsync(string baseUrl)
    {
        using var response = await Http.GetAsync($"{baseUrl}/health");
        return response.StatusCode;
    }

    private static ProcessTable.Entry GatewayProcess(int appHostPid) =>
        GatewayProcessOrNull(appHostPid) ?? throw new InvalidOperationException("No gateway process under the AppHost.");

    private static ProcessTable.Entry? GatewayProcessOrNull(int appHostPid) =>
        ProcessTable.Descendants(appHostPid).FirstOrDefault(p => p.CommandLine.Contains("Suite.Gateway.dll") && p.State != 'Z');

    /// <summary>The AppHost's descendants, and anything else that runs on this run's state folder (a daemonised server).</summary>
    private static List<ProcessTable.Entry> ProcessesOfThisRun(int appHostPid, string stateDir) =>
        ProcessTable.Descendants(appHostPid)
            .Concat(ProcessTable.Snapshot().Where(p => p.CommandLine.Contains(stateDir)))
            .DistinctBy(p => p.Pid)
            .ToList();

    public void Dispose()
    {
        // Whatever happened, show what the AppHost printed, and leave nothing running.
        foreach (var line in _output)
            testOutput.WriteLine(line);
        if (_appHost is { HasExited: false })
        {
            ServerProcess.Signal(_appHost.Id, PosixSignal.SIGTERM);
            if (!_appHost.WaitForExit(StopTimeout))
                _appHost.Kill(entireProcessTree: true);
        }
        _appHost?.Dispose();
    }
}
