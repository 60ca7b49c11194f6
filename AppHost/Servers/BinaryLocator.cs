namespace Suite.AppHost.Servers;

/// <summary>Finds the machine's server binaries: on PATH first, then where Debian installs them.</summary>
public static class BinaryLocator
{
    public static string Redis() =>
        Find("redis-server", ["/usr/bin", "/usr/local/bin"])
        ?? throw new FileNotFoundException(
            "redis-server was not found on PATH or in /usr/bin. Run ./suite.sh test or ./suite.sh up, which install it (apt-get install redis-server).");

    /// <summary>
    /// The folder with initdb, postgres and pg_ctl. Debian keeps them in /usr/lib/postgresql/&lt;version&gt;/bin,
    /// off PATH; the newest version there wins.
    /// </summary>
    public static string PostgresBin()
    {
        var onPath = Find("initdb", []);
        if (onPath is not null)
            return Path.GetDirectoryName(ResolveLinks(onPath))!;

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(dir => (dir, version: int.TryParse(Path.GetFileName(dir), out var v) ? v : -1))
                .Where(x => x.version > 0 && File.Exists(Path.Combine(x.dir, "bin", "initdb")))
                .OrderByDescending(x => x.version)
                .Select(x => Path.Combine(x.dir, "bin"))
                .FirstOrDefault();
            if (newest is not null)
                return newest;
        }
        throw new FileNotFoundException(
            "PostgreSQL (initdb, postgres) was not found on PATH or under /usr/lib/postgresql. Run ./suite.sh test or ./suite.sh up, which install it (apt-get install postgresql).");
    }

    private static string? Find(string name, string[] extraFolders)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(extraFolders)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }

    private static string ResolveLinks(string path) =>
        new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
}
