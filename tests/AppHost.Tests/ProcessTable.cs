namespace Suite.AppHost.Tests;

/// <summary>What /proc says about processes: parents, command lines, and whether a process is still the same one.</summary>
internal static class ProcessTable
{
    /// <summary>A process as seen at one moment; the start time tells it apart from a later one with its pid.</summary>
    public sealed record Entry(int Pid, int ParentPid, long StartTime, char State, string CommandLine);

    public static List<Entry> Snapshot()
    {
        var entries = new List<Entry>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Read(pid) is { } entry)
                entries.Add(entry);
        }
        return entries;
    }

    /// <summary>Every process below <paramref name="pid"/>, children of children included.</summary>
    public static List<Entry> Descendants(int pid)
    {
        var all = Snapshot();
        var found = new List<Entry>();
        var parents = new Queue<int>([pid]);
        while (parents.TryDequeue(out var parent))
        {
            foreach (var child in all.Where(e => e.ParentPid == parent))
            {
                found.Add(child);
                parents.Enqueue(child.Pid);
            }
        }
        return found;
    }

    /// <summary>True while the very process of <paramref name="entry"/> runs (a zombie counts as gone).</summary>
    public static bool IsRunning(Entry entry) =>
        Read(entry.Pid) is { } now && now.StartTime == entry.StartTime && now.State != 'Z';

    private static Entry? Read(int pid)
    {
        try
        {
            // The command name (in parentheses) may hold spaces: the fields we need follow its last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            return new Entry(pid, int.Parse(fields[1]), long.Parse(fields[19]), fields[0][0], commandLine);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // Gone while we looked.
        }
    }
}
