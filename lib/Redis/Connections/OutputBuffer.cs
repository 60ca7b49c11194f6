using System.Net.Sockets;

namespace Suite.Redis.Connections;

/// <summary>
/// Collects encoded commands and sends them in as few socket writes as possible. Appending only
/// copies bytes; the first append after the socket went idle queues one send as a thread-pool work
/// item on the caller's own queue, so it runs after the caller's current work (typically a batch of
/// continuations, each adding its next command) and sends the whole batch at once. Two buffers
/// alternate: one fills while the other is on the wire.
/// </summary>
internal sealed class OutputBuffer : IThreadPoolWorkItem
{
    private const int InitialSize = 16 * 1024;
    private const int KeptSize = 256 * 1024;

    private readonly Socket _socket;
    private readonly Action<Exception> _onError;
    private readonly object _lock;
    private byte[] _filling = new byte[InitialSize];
    private byte[] _spare = new byte[InitialSize];
    private int _filled;
    private bool _scheduled;
    private bool _sending;

    /// <param name="sync">The connection's lock, held by callers of <see cref="Append"/>: one lock per command, not two.</param>
    public OutputBuffer(Socket socket, object sync, Action<Exception> onError)
    {
        _socket = socket;
        _lock = sync;
        _onError = onError;
    }

    /// <summary>
    /// Adds a command's bytes; the caller holds the lock. Returns true when the caller must call
    /// <see cref="ScheduleSend"/> after releasing it (no send is queued or running yet).
    /// </summary>
    public bool Append(ReadOnlySpan<byte> bytes)
    {
        if (_filled + bytes.Length > _filling.Length)
        {
            var grown = new byte[Math.Max(_filling.Length * 2, _filled + bytes.Length)];
            _filling.AsSpan(0, _filled).CopyTo(grown);
            _filling = grown;
        }
        bytes.CopyTo(_filling.AsSpan(_filled));
        _filled += bytes.Length;
        if (_scheduled || _sending)
            return false;
        _scheduled = true;
        return true;
    }

    public void ScheduleSend() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);

    void IThreadPoolWorkItem.Execute()
    {
        lock (_lock)
        {
            _scheduled = false;
            if (_sending)
                return; // the running send picks the new bytes up
            _sending = true;
        }
        _ = SendAsync();
    }

    private async Task SendAsync()
    {
        try
        {
            while (true)
            {
                byte[] buffer;
                int length;
                lock (_lock)
                {
                    if (_filled == 0)
                    {
                        _sending = false;
                        return;
                    }
                    buffer = _filling;
                    length = _filled;
                    _filling = _spare;
                    _filled = 0;
                }
                for (var sent = 0; sent < length;)
                    sent += await _socket.SendAsync(buffer.AsMemory(sent, length - sent), SocketFlags.None);
                // The sent buffer fills next; a huge one (a big value went out) is not kept.
                lock (_lock)
                    _spare = buffer.Length > KeptSize ? new byte[InitialSize] : buffer;
            }
        }
        catch (Exception ex)
        {
            lock (_lock)
                _sending = false;
            _onError(ex);
        }
    }
}
