using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Suite.AppHost.Servers;

namespace Suite.Messaging.Tests;

/// <summary>
/// The Messaging.TestWorker service run as a real process (<c>dotnet Suite.Messaging.TestWorker.dll</c>),
/// handling jobs of one kind with its slow-output handler, so that tests can SIGKILL or SIGTERM it.
/// </summary>
internal sealed class JobWorkerProcess : IAsyncDisposable
{
    private readonly ServerProcess _process;
    private readonly ConcurrentQueue<string> _output;

    private JobWorkerProcess(ServerProcess process, ConcurrentQueue<string> output)
    {
        _process = process;
        _output = output;
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    public static JobWorkerProcess Start(JobTestHost host, string kind, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__redis"] = host.Redis,
            ["ConnectionStrings__postgres"] = host.Postgres,
            ["Worker__Kind"] = kind,
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Suite__DrainDelay"] = "00:00:00",
            ["Suite__Telemetry__ExportToPostgres"] = "false",
            ["Jobs__CancelPollInterval"] = "00:00:00.250",
            ["Logging__LogLevel__Default"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            environment[key] = value;
        var output = new ConcurrentQueue<string>();
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var process = ServerProcess.Start(dotnet, [WorkerAssembly()], output.Enqueue, environment: environment);
        return new JobWorkerProcess(process, output);
    }

    /// <summary>SIGKILL: the worker dies mid-job, as in a crash or an OOM kill.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGTERM, as an orchestrator stopping the replica; returns once the process has exited.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        ServerProcess.Signal(_process.Id, PosixSignal.SIGTERM);
        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
    }

    public int ExitCode => _process.ExitCode;

    public async ValueTask DisposeAsync()
    {
        await _process.KillAsync();
        await _process.DisposeAsync();
    }

    // The worker is built beside the tests (a project reference without its assembly): same configuration.
    private static string WorkerAssembly()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Suite.sln")))
            root = root.Parent;
        if (root is null)
            throw new DirectoryNotFoundException("Suite.sln not found above the test's folder.");
        var path = Path.Combine(root.FullName, "tests", "Messaging.TestWorker", "bin", configuration, framework, "Suite.Messaging.TestWorker.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build tests/Messaging.TestWorker first.", path);
    }
}
