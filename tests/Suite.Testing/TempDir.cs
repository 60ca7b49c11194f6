namespace Suite.Testing;

/// <summary>
/// Temporary folders for one test process, under <c>$TMPDIR/suite-testing/&lt;pid&gt;</c>, removed when
/// the process exits. Folders left by a test process that was killed are swept by the next one.
/// </summary>
public static class TempDir
{
    private static readonly Lazy<string> RunRoot = new(CreateRunRoot);

    /// <summary>The folder of this test process.</summary>
    public static string Root => RunRoot.Value;

    /// <summary>A new empty folder, named after <paramref name="purpose"/>.</summary>
    public static string Create(string purpose = "tmp")
    {
        var path = Path.Combine(Root, $"{purpose}-{Guid.NewGuid():N}"[..(purpose.Length + 13)]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string CreateRunRoot()
    {
        var parent = Path.Combine(Path.GetTempPath(), "suite-testing");
        Directory.CreateDirectory(parent);
        StaleRuns.Sweep(parent);
        var root = Path.Combine(parent, Environment.ProcessId.ToString());
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunCleanup(root);
        return root;
    }

    private static readonly List<Func<Task>> AtExit = [];

    /// <summary>Runs <paramref name="stop"/> when the process exits, before the folders are removed.</summary>
    internal static void StopAtExit(Func<Task> stop)
    {
        lock (AtExit)
            AtExit.Add(stop);
    }

    private static void RunCleanup(string root)
    {
        Func<Task>[] stops;
        lock (AtExit)
            stops = [.. AtExit];
        Task.WaitAll(stops.Select(stop => Task.Run(stop)).ToArray(), TimeSpan.FromSeconds(15));
        TryDelete(root);
    }

    internal static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A server may still be writing its last file; the next run's sweep removes it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
