using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Npgsql;
using Suite.AppHost.Hosting;
using Suite.AppHost.Resources;
using Suite.AppHost.Servers;
using Suite.Redis;

namespace Suite.AppHost.Orchestration;

/// <summary>
/// Runs a declared suite: Redis and PostgreSQL first (or the external servers configured), then each
/// project once what it references is healthy; prints the summary and writes endpoints.json; on
/// shutdown drains the projects (dependents first) and stops the servers.
/// </summary>
internal sealed class Orchestrator
{
    // Directory.Build.props gives every project this target framework.
    private const string TargetFramework = "net10.0";

    private readonly AppHostOptions _options;
    private readonly IReadOnlyList<IResource> _resources;
    private readonly ConsoleLog _log;
    private readonly Lock _gate = new();
    private readonly List<StartedServer> _servers = [];
    private readonly List<ProjectRun> _projects = [];
    private bool _stopping;
    private bool _finished;

    /// <param name="resources">In dependency order, as <see cref="DistributedApplicationBuilder.Build"/> leaves them.</param>
    public Orchestrator(AppHostOptions options, IReadOnlyList<IResource> resources, ConsoleLog log)
    {
        _options = options;
        _resources = resources;
        _log = log;
    }

    /// <summary>Runs until <paramref name="shutdown"/> fires; 0 after a clean stop, 1 when the suite could not start.</summary>
    public async Task<int> RunAsync(CancellationToken shutdown)
    {
        string root;
        SuiteState state;
        IDisposable stateLock;
        try
        {
            root = _options.ResolveRoot();
            state = new SuiteState(_options.StateDir ?? Path.Combine(root, ".suite"));
            stateLock = state.Acquire();
        }
        catch (Exception ex) when (IsStartupProblem(ex))
        {
            _log.Info(ex.Message);
            return 1;
        }

        using (stateLock)
        {
            try
            {
                await RunSuiteAsync(root, state, shutdown);
                return 0;
            }
            catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception ex) when (IsStartupProblem(ex))
            {
                _log.Info($"the suite could not start: {ex.Message}");
                return 1;
            }
            finally
            {
                await StopAsync();
                EndpointsFile.Delete(state.EndpointsPath);
            }
        }
    }

    /// <summary>SIGKILL to everything at once: the AppHost is going down without a drain.</summary>
    public void Kill()
    {
        lock (_gate)
        {
            if (_finished)
                return;
            _stopping = _finished = true;
            foreach (var replica in _projects.SelectMany(project => project.Replicas))
                replica.Kill();
            foreach (var server in _servers)
                server.Kill?.Invoke();
        }
    }

    private async Task RunSuiteAsync(string root, SuiteState state, CancellationToken shutdown)
    {
        var watch = Stopwatch.StartNew();
        EndpointsFile.Delete(state.EndpointsPath);
        _log.Register(_resources.SelectMany(r => r is ProjectResource project ? ProjectRun.ReplicaNamesOf(project) : [r.Name]));
        _log.Info($"state folder {state.StateDir}");
        var plans = PlanProjects(root);
        if (_options.Fresh)
        {
            state.WipeData();
            _log.Info($"--fresh: removed {state.DataDir}");
        }
        var secrets = state.LoadOrCreateSecrets();

        var servers = await Task.WhenAll(_resources.OfType<IResourceWithConnectionString>()
            .Select(resource => StartServerAsync(resource, state, secrets, shutdown)));

        var bindings = new SuiteBindings(
            servers.ToDictionary(server => server.Name, server => server.ConnectionString),
            plans.ToDictionary(plan => plan.Resource.Name, plan => plan.Url),
            secrets,
            Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        await StartProjectsAsync(plans, bindings, shutdown);

        _log.Info($"the suite is up ({watch.Elapsed.TotalSeconds:0.0} s); Ctrl+C stops it");
        var rows = plans
            .OrderByDescending(plan => plan.Resource.IsExternal)
            .Select(plan => new SummaryRow(plan.Resource.Name, plan.Url, Describe(plan.Resource)))
            .Concat(servers.Select(server => new SummaryRow(
                server.Name, server.Address, server.Kill is null ? $"from {server.Resource.ConnectionStringEnvironmentVariable}" : "")))
            .ToList();
        foreach (var line in SummaryTable.Render(rows, secrets.AdminKey, state.EndpointsPath))
            _log.Info(line);
        EndpointsFile.Write(state.EndpointsPath, new EndpointsDocument(bindings.ServiceUrls, secrets.AdminKey, bindings.ConnectionStrings));

        await Task.Delay(Timeout.Infinite, shutdown);
    }

    /// <summary>What to run for each project that exists, with its ports; a project not written yet is skipped.</summary>
    private List<ProjectRun> PlanProjects(string root)
    {
        var plans = new List<ProjectRun>();
        var missingBuilds = new List<string>();
        var ports = new HashSet<int>();
        int NextPort()
        {
            int port;
            while (!ports.Add(port = FreePort.Next()))
            {
            }
            return port;
        }

        foreach (var project in _resources.OfType<ProjectResource>())
        {
            var folder = Path.GetDirectoryName(Path.Combine(root, project.ProjectPath))!;
            if (!Directory.Exists(folder))
            {
                _log.Info($"{project.Name}: {Path.GetDirectoryName(project.ProjectPath)}/ is not in the repository yet; skipped");
                continue;
            }
            var assembly = Path.Combine(folder, "bin", _options.Configuration, TargetFramework, project.AssemblyName + ".dll");
            if (!File.Exists(assembly))
                missingBuilds.Add($"{project.Name} ({assembly})");

            var replicaPorts = Enumerable.Range(0, project.Replicas).Select(_ => NextPort()).ToList();
            int? proxyPort = null;
            if (project.Replicas > 1)
                proxyPort = project.ExternalPort ?? NextPort();
            else if (project.ExternalPort is { } fixedPort)
                replicaPorts[0] = fixedPort;
            plans.Add(new ProjectRun(project, folder, assembly, replicaPorts, proxyPort));
        }

        if (missingBuilds.Count > 0)
        {
            throw new FileNotFoundException(
                $"no {_options.Configuration} build of {string.Join(", ", missingBuilds)}. "
                + "Build first: `dotnet build Suite.sln` (./suite.sh up does), or pick another build with --configuration.");
        }
        foreach (var plan in plans)
        {
            foreach (var missing in plan.Resource.References.OfType<ProjectResource>().Where(r => plans.All(p => p.Resource != r)))
                _log.Info($"{plan.Resource.Name}: starts without {missing.Name}, which is not in the repository yet");
        }
        return plans;
    }

    private async Task<StartedServer> StartServerAsync(
        IResourceWithConnectionString resource, SuiteState state, SuiteSecrets secrets, CancellationToken shutdown)
    {
        var externalVariable = resource.ConnectionStringEnvironmentVariable;
        var external = Environment.GetEnvironmentVariable(externalVariable);
        StartedServer server;
        if (!string.IsNullOrWhiteSpace(external))
        {
            _log.Info($"{resource.Name}: using the server from {externalVariable}");
            server = new StartedServer(resource, external, Stop: null, Kill: null);
        }
        else
        {
            _log.Info($"starting {resource.Name}");
            // Not cancelled by shutdown: a launch abandoned half-way could leave its process running.
            server = resource switch
            {
                RedisResource => StartedServer.From(resource, await RedisServer.StartAsync(new RedisServerSettings
                {
                    DataDir = state.DataDirFor(resource.Name),
                    Password = secrets.RedisPassword,
                    Log = _log.For(resource.Name),
                })),
                PostgresResource => StartedServer.From(resource, await PostgresServer.StartAsync(new PostgresServerSettings
                {
                    DataDir = state.DataDirFor(resource.Name),
                    Password = secrets.PostgresPassword,
                    Log = _log.For(resource.Name),
                })),
                _ => throw new NotSupportedException($"No launcher for {resource.GetType().Name}."),
            };
        }
        lock (_gate)
            _servers.Add(server);

        await HealthWaiter.WaitAsync(resource.Name, server.ProbeAsync, _log.Info, shutdown);
        _log.Info($"{resource.Name} is healthy at {server.Address}");
        return server;
    }

    /// <summary>Starts every project as soon as the projects it references are healthy; returns when all are.</summary>
    private async Task StartProjectsAsync(List<ProjectRun> plans, SuiteBindings bindings, CancellationToken shutdown)
    {
        var healthy = new Dictionary<ProjectResource, Task>();
        foreach (var plan in plans)
        {
            var dependencies = plan.Resource.References.OfType<ProjectResource>()
                .Where(healthy.ContainsKey)
                .Select(reference => healthy[reference])
                .ToList();
            healthy[plan.Resource] = StartProjectAsync(plan, dependencies, bindings, shutdown);
        }
        await Task.WhenAll(healthy.Values);
    }

    private async Task StartProjectAsync(ProjectRun plan, List<Task> dependencies, SuiteBindings bindings, CancellationToken shutdown)
    {
        await Task.WhenAll(dependencies).WaitAsync(shutdown);
        var watch = Stopwatch.StartNew();
        lock (_gate)
        {
            if (_stopping)
                return;
            _projects.Add(plan);
            if (plan.ProxyPort is { } proxyPort)
            {
                plan.Proxy = new ReplicaProxy(proxyPort, plan.ReplicaPorts);
                plan.Proxy.Start();
            }
            for (var i = 0; i < plan.ReplicaPorts.Count; i++)
            {
                var port = plan.ReplicaPorts[i];
                var launch = Launch(plan.ReplicaNames[i], plan, ServiceEnvironment.For(plan.Resource, port, bindings));
                var replica = new ProcessSupervisor(launch, _log, ct => HealthWaiter.CheckHttpAsync($"http://127.0.0.1:{port}", ct));
                plan.Replicas.Add(replica);
                replica.Start();
            }
        }
        _log.Info($"starting {plan.Resource.Name}" + (plan.Replicas.Count > 1 ? $" ({plan.Replicas.Count} replicas)" : ""));
        await Task.WhenAll(plan.Replicas.Select(replica => replica.FirstHealthy)).WaitAsync(shutdown);
        _log.Info($"{plan.Resource.Name} is healthy at {plan.Url} ({watch.Elapsed.TotalSeconds:0.0} s)");
    }

    /// <summary>
    /// <c>dotnet &lt;assembly&gt;</c> in the project's folder, as <c>dotnet run</c> would (in a session of its
    /// own, see <see cref="ProcessSupervisor"/>).
    /// </summary>
    private static ProcessLaunch Launch(string name, ProjectRun plan, IReadOnlyDictionary<string, string?> environment) =>
        new(name, DotnetHost(), [plan.Assembly], plan.Folder, environment);

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
            return host;
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    /// <summary>Drains the projects, each after those that reference it, then stops the servers.</summary>
    private async Task StopAsync()
    {
        List<ProjectRun> projects;
        List<StartedServer> servers;
        lock (_gate)
        {
            if (_stopping)
                return;
            _stopping = true;
            projects = [.. _projects];
            servers = [.. _servers];
        }
        if (projects.Count > 0)
            _log.Info($"draining {string.Join(", ", projects.Select(p => p.Resource.Name))} (up to {_options.ShutdownTimeout.TotalSeconds:0} s each)");

        var stopped = new Dictionary<ProjectRun, Task>();
        foreach (var project in Enumerable.Reverse(projects))
        {
            var dependents = projects.Where(p => p.Resource.References.Contains(project.Resource)).Select(p => stopped[p]).ToList();
            stopped[project] = StopProjectAsync(project, dependents);
        }
        await Task.WhenAll(stopped.Values);

        await Task.WhenAll(servers.Where(server => server.Stop is not null).Select(async server =>
        {
            await server.Stop!();
            _log.Info($"{server.Name} stopped");
        }));
        lock (_gate)
            _finished = true;
    }

    private async Task StopProjectAsync(ProjectRun project, List<Task> dependents)
    {
        await Task.WhenAll(dependents);
        await Task.WhenAll(project.Replicas.Select(replica => replica.StopAsync(_options.ShutdownTimeout)));
        if (project.Proxy is not null)
            await project.Proxy.DisposeAsync();
    }

    private static string Describe(ProjectResource project) =>
        string.Join(", ", new[]
        {
            project.IsExternal ? "external" : null,
            project.Replicas > 1 ? $"{project.Replicas} replicas" : null,
        }.OfType<string>());

    private static bool IsStartupProblem(Exception ex) =>
        ex is InvalidOperationException or IOException or UnauthorizedAccessException or Win32Exception or NpgsqlException or TimeoutException;

    /// <summary>A project of the suite as this run runs it.</summary>
    private sealed class ProjectRun(ProjectResource resource, string folder, string assembly, List<int> replicaPorts, int? proxyPort)
    {
        public ProjectResource Resource { get; } = resource;

        public string Folder { get; } = folder;

        public string Assembly { get; } = assembly;

        public List<int> ReplicaPorts { get; } = replicaPorts;

        public int? ProxyPort { get; } = proxyPort;

        /// <summary>What other services and endpoints.json get: the proxy's address with replicas, else the one replica's.</summary>
        public string Url => $"http://127.0.0.1:{ProxyPort ?? ReplicaPorts[0]}";

        public IReadOnlyList<string> ReplicaNames => ReplicaNamesOf(Resource);

        /// <summary>The names replicas log under: the project's own for one, <c>name-1</c>, <c>name-2</c>… for more.</summary>
        public static IReadOnlyList<string> ReplicaNamesOf(ProjectResource project) =>
            project.Replicas == 1 ? [project.Name] : [.. Enumerable.Range(1, project.Replicas).Select(i => $"{project.Name}-{i}")];

        public List<ProcessSupervisor> Replicas { get; } = [];

        public ReplicaProxy? Proxy { get; set; }
    }

    /// <summary>A Redis or PostgreSQL the suite uses; <see cref="Stop"/> and <see cref="Kill"/> are null for an external one.</summary>
    private sealed record StartedServer(IResourceWithConnectionString Resource, string ConnectionString, Func<Task>? Stop, Action? Kill)
    {
        public string Name => Resource.Name;

        /// <summary>Host and port without the password.</summary>
        public string Address
        {
            get
            {
                if (Resource is PostgresResource)
                {
                    var postgres = new NpgsqlConnectionStringBuilder(ConnectionString);
                    return $"postgres://{postgres.Host}:{postgres.Port}/{postgres.Database ?? postgres.Username}";
                }
                return $"redis://{RedisOptions.Parse(ConnectionString).Endpoint}";
            }
        }

        public Task<HealthStatus> ProbeAsync(CancellationToken cancellationToken) => Resource is PostgresResource
            ? HealthWaiter.CheckPostgresAsync(ConnectionString, cancellationToken)
            : HealthWaiter.CheckRedisAsync(ConnectionString, cancellationToken);

        public static StartedServer From(IResourceWithConnectionString resource, RedisServer redis) =>
            new(resource, redis.ConnectionString, () => redis.DisposeAsync().AsTask(), () => ServerProcess.Kill(redis.ProcessId));

        public static StartedServer From(IResourceWithConnectionString resource, PostgresServer postgres) =>
            new(resource, postgres.ConnectionString, () => postgres.DisposeAsync().AsTask(), () =>
            {
                // SIGQUIT is PostgreSQL's immediate shutdown: the postmaster takes its backends with it.
                if (postgres.PostmasterPid is { } postmaster)
                    ServerProcess.Signal(postmaster, PosixSignal.SIGQUIT);
                ServerProcess.Kill(postgres.ProcessId);
            });
    }
}
