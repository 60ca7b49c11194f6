namespace Suite.Redis.Connections;

/// <summary>
/// Hands accepted replies to their callers. The reader never runs callers' code (unless
/// <see cref="RedisOptions.InlineContinuations"/>): it collects the commands of one read and queues
/// them to the thread pool in a few work items, split so every core can take a share. One work
/// item per batch instead of one per reply is most of what makes the shared connection fast.
/// </summary>
internal sealed class ReplyDispatcher
{
    private const int MinChunk = 4;

    private readonly bool _inline;
    private readonly List<PendingCommand> _accepted = [];

    public ReplyDispatcher(bool inline) => _inline = inline;

    public void Add(PendingCommand command)
    {
        if (_inline)
            command.Deliver();
        else
            _accepted.Add(command);
    }

    /// <summary>Queues what was added since the last flush.</summary>
    public void Flush()
    {
        var count = _accepted.Count;
        if (count == 0)
            return;
        var chunk = Math.Max(MinChunk, (count + Environment.ProcessorCount - 1) / Environment.ProcessorCount);
        for (var start = 0; start < count; start += chunk)
        {
            var work = DeliveryWork.Rent();
            for (var i = start; i < Math.Min(count, start + chunk); i++)
                work.Commands.Add(_accepted[i]);
            // Local queue: the reader's own thread often runs it as soon as the reader awaits again.
            ThreadPool.UnsafeQueueUserWorkItem(work, preferLocal: true);
        }
        _accepted.Clear();
    }

    private sealed class DeliveryWork : IThreadPoolWorkItem
    {
        private static readonly System.Collections.Concurrent.ConcurrentQueue<DeliveryWork> Pool = new();

        public List<PendingCommand> Commands { get; } = [];

        public static DeliveryWork Rent() => Pool.TryDequeue(out var work) ? work : new DeliveryWork();

        public void Execute()
        {
            foreach (var command in Commands)
                command.Deliver();
            Commands.Clear();
            if (Pool.Count < 256)
                Pool.Enqueue(this);
        }
    }
}
