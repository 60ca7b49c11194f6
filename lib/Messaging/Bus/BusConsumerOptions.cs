namespace Suite.Messaging;

/// <summary>How one hosted consumer reads, retries, reclaims and drains. Defaults suit slow, bursty AI work.</summary>
public sealed class BusConsumerOptions
{
    /// <summary>The consumer's name within its group; unset: <c>machine-pid</c> (plus <c>-n</c> for the n-th consumer of a process).</summary>
    public string? Consumer { get; set; }

    /// <summary>Most handlers running at once in this consumer.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>
    /// Deliveries (Redis's pending-entry delivery count) before a message goes to <c>&lt;topic&gt;:dead</c>.
    /// A message that crashes its consumer each time is dead-lettered when reclaimed past this count.
    /// </summary>
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>
    /// How long a message may stay pending without its consumer renewing it before another consumer
    /// reclaims it (XAUTOCLAIM min-idle). Running handlers renew their messages, so only messages of dead
    /// or hung consumers go idle this long.
    /// </summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Delay between the deliveries of a failing message.</summary>
    public RetryBackoff RetryBackoff { get; set; } = new();

    /// <summary>How long one XREADGROUP waits on the server for new messages.</summary>
    public TimeSpan BlockTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>On shutdown, how long running handlers get to finish; then they are cancelled and their messages stay pending.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often the consumer looks for messages of dead consumers to reclaim (and refreshes the pending gauge).</summary>
    public TimeSpan ClaimInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// True: a group created by this consumer starts at the beginning of the stream, so messages published
    /// before any consumer existed are handled. False: it starts at the end (<c>$</c>).
    /// </summary>
    public bool StartFromBeginning { get; set; } = true;

    internal void Validate()
    {
        if (Concurrency < 1)
            throw new ArgumentOutOfRangeException(nameof(Concurrency), Concurrency, "BusConsumerOptions.Concurrency must be at least 1.");
        if (MaxDeliveries < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxDeliveries), MaxDeliveries, "BusConsumerOptions.MaxDeliveries must be at least 1.");
        if (VisibilityTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(VisibilityTimeout), VisibilityTimeout, "BusConsumerOptions.VisibilityTimeout must be positive.");
        if (ClaimInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(ClaimInterval), ClaimInterval, "BusConsumerOptions.ClaimInterval must be positive.");
        if (DrainTimeout < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(DrainTimeout), DrainTimeout, "BusConsumerOptions.DrainTimeout cannot be negative.");
        if (BlockTime <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(BlockTime), BlockTime, "BusConsumerOptions.BlockTime must be positive (zero would block for ever).");
    }
}
