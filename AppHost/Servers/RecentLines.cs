namespace Suite.AppHost.Servers;

/// <summary>
/// The last few lines a process printed, kept to explain a failed start. Bounded, because a
/// server runs for hours and prints all the while.
/// </summary>
public sealed class RecentLines(int capacity = 20)
{
    private readonly Queue<string> _lines = new(capacity);

    public void Add(string line)
    {
        lock (_lines)
        {
            if (_lines.Count == capacity)
                _lines.Dequeue();
            _lines.Enqueue(line);
        }
    }

    public override string ToString()
    {
        lock (_lines)
            return string.Join(Environment.NewLine, _lines);
    }
}
