using System.Runtime.InteropServices;
using Suite.AppHost.Orchestration;
using Suite.AppHost.Resources;

namespace Suite.AppHost.Hosting;

/// <summary>
/// The suite as declared in Program.cs, run by the AppHost's own orchestrator in place of Aspire's:
/// <c>DistributedApplication.CreateBuilder(args)</c>, <c>Add*</c>, <c>Build().Run()</c>.
/// </summary>
public sealed class DistributedApplication
{
    internal DistributedApplication(AppHostOptions options, IReadOnlyList<IResource> resources)
    {
        Options = options;
        Resources = resources;
    }

    public AppHostOptions Options { get; }

    /// <summary>The resources in dependency order: each after everything it references.</summary>
    public IReadOnlyList<IResource> Resources { get; }

    public static DistributedApplicationBuilder CreateBuilder(string[] args) =>
        new(AppHostOptions.Parse(args, Environment.GetEnvironmentVariable));

    /// <summary>Runs until Ctrl+C or SIGTERM; sets the process exit code.</summary>
    public void Run() => Environment.ExitCode = RunAsync().GetAwaiter().GetResult();

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        if (Options.ShowHelp)
        {
            Console.WriteLine(AppHostOptions.Usage);
            return 0;
        }
        if (Options.Error is not null)
        {
            await Console.Error.WriteLineAsync($"{Options.Error}{Environment.NewLine}{AppHostOptions.Usage}");
            return 2;
        }

        var log = ConsoleLog.ForConsole();
        var orchestrator = new Orchestrator(Options, Resources, log);
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // The first signal drains; a second one (an impatient Ctrl+C) kills everything at once.
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (!shutdown.IsCancellationRequested)
            {
                log.Info($"{context.Signal} received; shutting down");
                // Asynchronously: the drain must not run on the thread that delivers the next signal.
                _ = shutdown.CancelAsync();
                return;
            }
            log.Info($"{context.Signal} received again; killing everything now");
            orchestrator.Kill();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);

        // Best effort when the AppHost itself fails: no child outlives it.
        void OnProcessExit(object? sender, EventArgs e) => orchestrator.Kill();
        void OnCrash(object? sender, UnhandledExceptionEventArgs e) => orchestrator.Kill();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException += OnCrash;
        try
        {
            return await orchestrator.RunAsync(shutdown.Token);
        }
        finally
        {
            orchestrator.Kill();
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            AppDomain.CurrentDomain.UnhandledException -= OnCrash;
        }
    }
}
