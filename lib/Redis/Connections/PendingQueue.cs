namespace Suite.Redis.Connections;

/// <summary>A growable ring buffer of commands awaiting replies; the connection's lock guards it.</summary>
internal sealed class PendingQueue
{
    private PendingCommand?[] _items = new PendingCommand?[64];
    private int _head;

    public int Count { get; private set; }

    public PendingCommand this[int index] => _items[(_head + index) & (_items.Length - 1)]!;

    public void Enqueue(PendingCommand command)
    {
        if (Count == _items.Length)
            Grow();
        _items[(_head + Count) & (_items.Length - 1)] = command;
        Count++;
    }

    public PendingCommand? TryDequeue()
    {
        if (Count == 0)
            return null;
        var command = _items[_head];
        _items[_head] = null;
        _head = (_head + 1) & (_items.Length - 1);
        Count--;
        return command;
    }

    public List<PendingCommand> DequeueAll()
    {
        var all = new List<PendingCommand>(Count);
        while (TryDequeue() is { } command)
            all.Add(command);
        return all;
    }

    private void Grow()
    {
        var grown = new PendingCommand?[_items.Length * 2];
        for (var i = 0; i < Count; i++)
            grown[i] = this[i];
        _items = grown;
        _head = 0;
    }
}
