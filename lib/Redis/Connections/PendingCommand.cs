using System.Buffers;

namespace Suite.Redis.Connections;

/// <summary>
/// A command written to a connection and waiting for its reply. Replies come in the order commands
/// were written, so a connection keeps these in a queue. Exactly one outcome wins: the reply, a
/// time-out, a cancellation or the loss of the connection (<see cref="TryClaim"/> decides which).
/// A command that lost stays queued until its reply arrives and is dropped.
/// </summary>
internal abstract class PendingCommand
{
    private int _claimed;

    /// <summary>The command's name for errors, e.g. <c>GET</c>.</summary>
    public string Name { get; protected set; } = "";

    /// <summary><see cref="Environment.TickCount64"/> after which the command times out.</summary>
    public long Deadline { get; protected set; }

    public TimeSpan Timeout { get; protected set; }

    public bool IsClaimed => Volatile.Read(ref _claimed) != 0;

    /// <summary>True for the one caller that gets to complete the command.</summary>
    public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    protected void ResetClaim() => Volatile.Write(ref _claimed, 0);

    /// <summary>
    /// Called by the connection's reader with the command's reply: parses it and wins the command,
    /// or returns false when a time-out or cancellation already did (the reply is dropped).
    /// The caller sees the outcome only at <see cref="Deliver"/>.
    /// </summary>
    public abstract bool TryAcceptReply(in ReadOnlySequence<byte> frame);

    /// <summary>Completes the caller's task with the accepted reply; its continuation may run here.</summary>
    public abstract void Deliver();

    /// <summary>Completes a command won by <see cref="TryClaim"/> with an error.</summary>
    public abstract void CompleteClaimed(Exception error);

    /// <summary>The connection is done with the command (its reply was read, or it never will be).</summary>
    public abstract void ReleaseFromQueue();
}
