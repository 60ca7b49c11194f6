namespace Suite.AppHost.Hosting;

/// <summary>The AppHost's command line (and the environment variables that stand in for it).</summary>
public sealed record AppHostOptions
{
    public const string Usage = """
        Usage: dotnet Suite.AppHost.dll [options]

          --root <path>              repository root (default: the folder above with Suite.sln)
          --state-dir <path>         data, secrets and endpoints.json (default: <root>/.suite; env Suite__StateDir)
          --fresh                    wipe <state-dir>/data (Redis and PostgreSQL data) before starting
          -c, --configuration <name> build configuration of the services to run (default: the AppHost's own)
          --shutdown-timeout <s>     seconds a service gets to drain after SIGTERM before SIGKILL (default: 30)
          -h, --help                 show this text

        External servers: set ConnectionStrings__redis / ConnectionStrings__postgres to use them
        instead of starting redis-server and PostgreSQL.
        """;

    public string? Root { get; init; }

    public string? StateDir { get; init; }

    public bool Fresh { get; init; }

    public string Configuration { get; init; } = DefaultConfiguration;

    // As long as a service itself gives its drain (ASP.NET Core's shutdown time-out, 30 s).
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool ShowHelp { get; init; }

    /// <summary>Why the command line was rejected; null when it was fine.</summary>
    public string? Error { get; init; }

    // Services are run from the build the AppHost itself comes from, unless told otherwise.
#if DEBUG
    private const string DefaultConfiguration = "Debug";
#else
    private const string DefaultConfiguration = "Release";
#endif

    public static AppHostOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var options = new AppHostOptions { StateDir = NullIfEmpty(environment("Suite__StateDir")) };
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value() => i + 1 < args.Count ? args[++i] : null;
            options = arg switch
            {
                "--root" => Value() is { } root ? options with { Root = root } : Missing(options, arg),
                "--state-dir" => Value() is { } dir ? options with { StateDir = dir } : Missing(options, arg),
                "--fresh" => options with { Fresh = true },
                "-c" or "--configuration" => Value() is { } c ? options with { Configuration = c } : Missing(options, arg),
                "--shutdown-timeout" => Value() is { } s && double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
                    ? options with { ShutdownTimeout = TimeSpan.FromSeconds(seconds) }
                    : options with { Error = "--shutdown-timeout needs a number of seconds" },
                "-h" or "--help" => options with { ShowHelp = true },
                _ => options with { Error = $"unknown argument '{arg}'" },
            };
            if (options.Error is not null)
                return options;
        }
        return options;
    }

    /// <summary>The repository root: <see cref="Root"/>, else the first folder above the current one (or the AppHost's own) that holds Suite.sln.</summary>
    public string ResolveRoot()
    {
        if (Root is not null)
        {
            var root = Path.GetFullPath(Root);
            return Directory.Exists(root) ? root : throw new DirectoryNotFoundException($"--root {root} does not exist.");
        }
        return FindSolutionFolder(Environment.CurrentDirectory)
            ?? FindSolutionFolder(AppContext.BaseDirectory)
            ?? throw new DirectoryNotFoundException(
                "No Suite.sln in the current folder or above it, nor above the AppHost; run from the repository or pass --root.");
    }

    private static string? FindSolutionFolder(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Suite.sln")))
                return dir.FullName;
        }
        return null;
    }

    private static AppHostOptions Missing(AppHostOptions options, string arg) => options with { Error = $"{arg} needs a value" };

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
