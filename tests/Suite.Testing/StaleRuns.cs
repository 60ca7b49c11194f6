using Suite.AppHost.Servers;

namespace Suite.Testing;

/// <summary>
/// A test process killed outright (a CI time-out, a debugger stop) leaves its servers running.
/// Each run folder is named after its process id and lists its servers' pids in <c>servers.pids</c>,
/// so the next run can end them and free the disk.
/// </summary>
internal static class StaleRuns
{
    private const string PidFile = "servers.pids";

    public static void Record(int pid)
    {
        lock (typeof(StaleRuns))
            File.AppendAllLines(Path.Combine(TempDir.Root, PidFile), [pid.ToString()]);
    }

    public static void Sweep(string parent)
    {
        foreach (var run in Directory.GetDirectories(parent))
        {
            if (!int.TryParse(Path.GetFileName(run), out var owner) || owner == Environment.ProcessId || ServerProcess.IsAlive(owner))
                continue;
            var pids = Path.Combine(run, PidFile);
            if (File.Exists(pids))
            {
                foreach (var line in File.ReadAllLines(pids))
                {
                    if (int.TryParse(line, out var pid))
                        ServerProcess.Kill(pid);
                }
            }
            TempDir.TryDelete(run);
        }
    }
}
