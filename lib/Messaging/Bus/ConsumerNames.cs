namespace Suite.Messaging;

/// <summary>Default consumer names: <c>machine-pid</c>, then <c>machine-pid-2</c>… for further consumers in the process.</summary>
internal static class ConsumerNames
{
    private static int _count;

    public static string Next()
    {
        var n = Interlocked.Increment(ref _count);
        var name = $"{Environment.MachineName}-{Environment.ProcessId}";
        return n == 1 ? name : $"{name}-{n}";
    }
}
