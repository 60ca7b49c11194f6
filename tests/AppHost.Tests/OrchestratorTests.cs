using Suite.AppHost.Hosting;
using Suite.AppHost.Orchestration;
using Suite.AppHost.Resources;
using Suite.Testing;

namespace Suite.AppHost.Tests;

/// <summary>The orchestrator in this process, on a made-up repository, for what needs no real service.</summary>
public sealed class OrchestratorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static (string Root, string StateDir) FakeRepository()
    {
        var root = TempDir.Create("repo");
        File.WriteAllText(Path.Combine(root, "Suite.sln"), "");
        return (root, Path.Combine(root, "state"));
    }

    private static DistributedApplicationBuilder Builder(string root, string stateDir) =>
        DistributedApplication.CreateBuilder(["--root", root, "--state-dir", stateDir]);

    [Fact]
    public async Task A_project_whose_folder_does_not_exist_yet_is_skipped_and_the_rest_runs()
    {
        var (root, stateDir) = FakeRepository();
        var builder = Builder(root, stateDir);
        var later = builder.AddProject("sandbox", "services/Sandbox/Suite.Sandbox.csproj");
        builder.AddProject("portal", "web/Portal/Suite.Portal.csproj").WithReference(later);
        var app = builder.Build();
        var output = new StringWriter();
        var orchestrator = new Orchestrator(app.Options, app.Resources, new ConsoleLog(TextWriter.Synchronized(output), false));
        using var shutdown = new CancellationTokenSource();

        var run = orchestrator.RunAsync(shutdown.Token);
        var endpoints = Path.Combine(stateDir, "endpoints.json");
        await Eventually.Until(() => File.Exists(endpoints) || run.IsCompleted, Timeout, "the suite reports it is up");
        var document = EndpointsFile.Read(endpoints);
        await shutdown.CancelAsync();

        Assert.Equal(0, await run);
        Assert.Contains("sandbox: services/Sandbox/ is not in the repository yet; skipped", output.ToString());
        Assert.Contains("portal: web/Portal/ is not in the repository yet; skipped", output.ToString());
        Assert.Empty(document!.Services);
        Assert.False(File.Exists(endpoints), "endpoints.json is removed when the suite stops");
    }

    [Fact]
    public async Task A_project_that_was_not_built_stops_the_start_with_a_message_that_says_how_to_build()
    {
        var (root, stateDir) = FakeRepository();
        Directory.CreateDirectory(Path.Combine(root, "services", "Gateway"));
        var builder = Builder(root, stateDir);
        var redis = builder.AddRedis("redis");
        builder.AddProject("gateway", "services/Gateway/Suite.Gateway.csproj").WithReference(redis);
        var app = builder.Build();
        var output = new StringWriter();

        var exitCode = await new Orchestrator(app.Options, app.Resources, new ConsoleLog(output, false)).RunAsync(CancellationToken.None);

        Assert.Equal(1, exitCode);
        var log = output.ToString();
        Assert.Contains("no Debug build of gateway", log.Replace("Release", "Debug"));
        Assert.Contains(Path.Combine(root, "services", "Gateway", "bin"), log);
        Assert.Contains("dotnet build", log);
        Assert.DoesNotContain("starting redis", log);
    }

    [Fact]
    public async Task Replicas_run_on_ports_of_their_own_behind_one_address()
    {
        var builder = DistributedApplication.CreateBuilder(["--root", Repository.Root, "--state-dir", TempDir.Create("state")]);
        var redis = builder.AddRedis("redis");
        var postgres = builder.AddPostgres("postgres");
        builder.AddProject("gateway", "services/Gateway/Suite.Gateway.csproj").WithReference(redis).WithReference(postgres).WithReplicas(2);
        var app = builder.Build();
        var output = new StringWriter();
        var orchestrator = new Orchestrator(app.Options, app.Resources, new ConsoleLog(TextWriter.Synchronized(output), false));
        using var shutdown = new CancellationTokenSource();

        var run = orchestrator.RunAsync(shutdown.Token);
        var endpoints = Path.Combine(app.Options.StateDir!, "endpoints.json");
        try
        {
            await Eventually.Until(() => File.Exists(endpoints) || run.IsCompleted, TimeSpan.FromSeconds(60), "the suite reports it is up");
            var gateway = EndpointsFile.Read(endpoints)!.Services["gateway"];
            using var http = new HttpClient();
            var statuses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => http.GetAsync($"{gateway}/health")));

            Assert.All(statuses, response => Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode));
            var log = output.ToString();
            Assert.Contains("gateway-1 | ", log);
            Assert.Contains("gateway-2 | ", log);
            var listening = log.Split('\n').Where(line => line.Contains("Now listening on")).Distinct().ToList();
            Assert.Equal(2, listening.Count);
            Assert.DoesNotContain(listening, line => line.Contains(gateway));
        }
        finally
        {
            await shutdown.CancelAsync();
            Assert.Equal(0, await run);
        }
    }
}
