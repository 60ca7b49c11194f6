namespace Suite.AppHost.Servers;

/// <summary>
/// A redis-server started from the machine's binary, bound to 127.0.0.1, with its data in a folder
/// of our own. Used by the AppHost and by the test fixtures.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly RedisServerSettings _settings;
    private ServerProcess? _process;

    private RedisServer(RedisServerSettings settings, int port)
    {
        _settings = settings;
        Port = port;
    }

    public int Port { get; }

    public string? Password => _settings.Password;

    public string DataDir => _settings.DataDir;

    /// <summary>The suite's form, <c>host:port[,password=...]</c> (ConnectionStrings__redis).</summary>
    public string ConnectionString =>
        Password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={Password}";

    public int ProcessId => _process?.Id ?? 0;

    public static async Task<RedisServer> StartAsync(RedisServerSettings settings, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(settings.DataDir);
        // A free port can be taken by someone else before redis binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(settings, settings.Port == 0 ? FreePort.Next() : settings.Port);
            try
            {
                await server.LaunchAsync(cancellationToken);
                return server;
            }
            catch (InvalidOperationException) when (settings.Port == 0 && attempt < 5)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>SHUTDOWN-like stop: SIGTERM makes redis write its append-only file and exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
            await _process.StopAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>SIGKILL: no chance to flush, like a crash.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
            await _process.KillAsync();
    }

    /// <summary>Stops and starts again on the same port with the same data.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync();
        await LaunchAsync(cancellationToken);
    }

    /// <summary>Starts again after <see cref="StopAsync"/> or <see cref="KillAsync"/>.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken = default) => LaunchAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var arguments = new List<string>
        {
            "--port", Port.ToString(),
            "--bind", "127.0.0.1",
            "--dir", _settings.DataDir,
            "--daemonize", "no",
            "--save", "",
            "--appendonly", _settings.AppendOnly ? "yes" : "no",
            "--appendfsync", "everysec",
            "--protected-mode", "no",
            "--loglevel", "warning",
        };
        if (_settings.Password is not null)
            arguments.AddRange(["--requirepass", _settings.Password]);

        var output = new RecentLines();
        void Log(string line)
        {
            output.Add(line);
            _settings.Log?.Invoke(line);
        }

        _process = ServerProcess.Start(BinaryLocator.Redis(), arguments, Log, _settings.DataDir, ownSession: true);
        await _process.WaitUntilReadyAsync(AnswersPingAsync, StartTimeout, output, $"redis-server on port {Port}", cancellationToken);
    }

    /// <summary>
    /// True once our own process answers an inline PING (+PONG, or -NOAUTH with a password), so that
    /// something else listening on the port is not taken for our server.
    /// </summary>
    private async Task<bool> AnswersPingAsync(CancellationToken cancellationToken)
    {
        if (_process is null || _process.HasExited || !await FreePort.IsListeningAsync(Port, cancellationToken))
            return false;
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, Port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            var reply = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
            return !_process.HasExited && (reply.StartsWith("+PONG") || reply.StartsWith("-NOAUTH"));
        }
        catch (IOException)
        {
            return false;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
