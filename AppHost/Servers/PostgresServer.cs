namespace Suite.AppHost.Servers;

/// <summary>
/// A PostgreSQL cluster run from the machine's binaries, listening on 127.0.0.1 only. PostgreSQL
/// refuses to run as root, so when we are root every command runs as the <c>postgres</c> user.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string ServiceUser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly PostgresServerSettings _settings;
    private readonly string _bin;
    private ServerProcess? _process;

    private PostgresServer(PostgresServerSettings settings, int port)
    {
        _settings = settings;
        _bin = BinaryLocator.PostgresBin();
        Port = port;
    }

    public int Port { get; }

    private string ClusterDir => Path.Combine(_settings.DataDir, "pgdata");

    /// <summary>Npgsql connection string to the <c>postgres</c> database as the superuser.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={ServiceUser};Database={database}"
        + (_settings.Password is null ? "" : $";Password={_settings.Password}");

    public int ProcessId => _process?.Id ?? 0;

    /// <summary>The postmaster's own pid (differs from <see cref="ProcessId"/> when runuser started it).</summary>
    public int? PostmasterPid { get; private set; }

    private static bool RunningAsRoot => Environment.UserName == "root";

    public static async Task<PostgresServer> StartAsync(PostgresServerSettings settings, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = new PostgresServer(settings, settings.Port == 0 ? FreePort.Next() : settings.Port);
            try
            {
                await server.InitialiseIfEmptyAsync(cancellationToken);
                await server.LaunchAsync(cancellationToken);
                return server;
            }
            catch (InvalidOperationException) when (settings.Port == 0 && attempt < 3)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Fast shutdown: open sessions are ended, the cluster is left consistent.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited)
            return;
        // SIGINT is PostgreSQL's "fast" shutdown. Signal the postmaster itself: when we are root the
        // process we started is runuser, which need not pass signals on.
        var postmaster = PostmasterPid ?? _process.Id;
        ServerProcess.Signal(postmaster, System.Runtime.InteropServices.PosixSignal.SIGINT);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            ServerProcess.Kill(postmaster);
            await _process.KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_process is not null)
            await _process.DisposeAsync();
    }

    private async Task InitialiseIfEmptyAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(ClusterDir, "PG_VERSION")))
            return;
        Directory.CreateDirectory(ClusterDir);
        var pwFile = Path.Combine(_settings.DataDir, ".initdb-pw");
        var arguments = new List<string>
        {
            "-D", ClusterDir, "-U", ServiceUser, "-E", "UTF8", "--no-locale", "--no-sync",
        };
        if (_settings.Password is not null)
        {
            await File.WriteAllTextAsync(pwFile, _settings.Password, cancellationToken);
            File.SetUnixFileMode(pwFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            arguments.AddRange(["--auth=scram-sha-256", $"--pwfile={pwFile}"]);
        }
        else
        {
            arguments.Add("--auth=trust");
        }

        try
        {
            await ChownForServiceUserAsync(cancellationToken);
            var output = new RecentLines();
            await using var initdb = StartAsServiceUser(Path.Combine(_bin, "initdb"), arguments, output.Add);
            await initdb.WaitForExitAsync(cancellationToken);
            if (initdb.ExitCode != 0)
                throw new InvalidOperationException($"initdb failed with exit code {initdb.ExitCode}: {output}");
        }
        finally
        {
            File.Delete(pwFile);
        }
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var arguments = new List<string>
        {
            "-D", ClusterDir,
            "-p", Port.ToString(),
            "-h", "127.0.0.1",
            "-c", "unix_socket_directories=",
            "-c", "max_connections=300",
            "-c", "log_min_messages=warning",
        };
        if (!_settings.Durable)
            arguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);

        var output = new RecentLines();
        void Log(string line)
        {
            output.Add(line);
            _settings.Log?.Invoke(line);
        }

        await ChownForServiceUserAsync(cancellationToken);
        _process = StartAsServiceUser(Path.Combine(_bin, "postgres"), arguments, Log, ownSession: true);
        await _process.WaitUntilReadyAsync(IsReadyAsync, StartTimeout, output, $"PostgreSQL on port {Port}", cancellationToken);
        PostmasterPid = ReadPostmasterPid();
    }

    /// <summary>pg_isready exits 0 once the server accepts connections.</summary>
    private async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        if (_process is null || _process.HasExited || !await FreePort.IsListeningAsync(Port, cancellationToken))
            return false;
        await using var probe = ServerProcess.Start(
            Path.Combine(_bin, "pg_isready"), ["-h", "127.0.0.1", "-p", Port.ToString(), "-U", ServiceUser, "-d", "postgres"], log: null);
        await probe.WaitForExitAsync(cancellationToken);
        return probe.ExitCode == 0 && !_process.HasExited;
    }

    private int? ReadPostmasterPid()
    {
        try
        {
            var firstLine = File.ReadLines(Path.Combine(ClusterDir, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(firstLine, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private ServerProcess StartAsServiceUser(string program, IEnumerable<string> arguments, Action<string>? log, bool ownSession = false) =>
        RunningAsRoot
            ? ServerProcess.Start("runuser", ["-u", ServiceUser, "--", program, .. arguments], log, _settings.DataDir, ownSession: ownSession)
            : ServerProcess.Start(program, arguments, log, _settings.DataDir, ownSession: ownSession);

    /// <summary>As root, hand the data folder to the service user; PostgreSQL insists on owning it (mode 0700).</summary>
    private async Task ChownForServiceUserAsync(CancellationToken cancellationToken)
    {
        File.SetUnixFileMode(ClusterDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (!RunningAsRoot)
            return;
        foreach (var path in new[] { _settings.DataDir, Path.Combine(_settings.DataDir, ".initdb-pw") }.Where(Path.Exists))
        {
            await using var chown = ServerProcess.Start("chown", ["-R", $"{ServiceUser}:{ServiceUser}", path], log: null);
            await chown.WaitForExitAsync(cancellationToken);
        }
    }
}
