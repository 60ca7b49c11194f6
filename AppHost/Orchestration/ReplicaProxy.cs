using System.Net;
using System.Net.Sockets;

namespace Suite.AppHost.Orchestration;

/// <summary>
/// One address in front of a project's replicas, as Aspire's local proxy gives one: each TCP
/// connection goes to the next replica in turn, skipping replicas that refuse it (one restarting).
/// </summary>
internal sealed class ReplicaProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IReadOnlyList<int> _replicaPorts;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _acceptLoop;
    private int _next;

    public ReplicaProxy(int port, IReadOnlyList<int> replicaPorts)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _replicaPorts = replicaPorts;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Start()
    {
        _listener.Start();
        _acceptLoop = AcceptAsync(_stopping.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Stop();
        if (_acceptLoop is not null)
            await _acceptLoop;
    }

    private async Task AcceptAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(stopping);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ForwardAsync(client, stopping);
        }
    }

    private async Task ForwardAsync(Socket client, CancellationToken stopping)
    {
        using (client)
        {
            using var replica = await ConnectToAReplicaAsync(stopping);
            if (replica is null)
                return;
            await Task.WhenAll(PumpAsync(client, replica, stopping), PumpAsync(replica, client, stopping));
        }
    }

    private async Task<Socket?> ConnectToAReplicaAsync(CancellationToken stopping)
    {
        for (var tried = 0; tried < _replicaPorts.Count; tried++)
        {
            var port = _replicaPorts[(int)((uint)Interlocked.Increment(ref _next) % _replicaPorts.Count)];
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port, stopping);
                return socket;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                socket.Dispose();
            }
        }
        return null;
    }

    /// <summary>Copies one direction until its end closes, then half-closes the other side.</summary>
    private static async Task PumpAsync(Socket from, Socket to, CancellationToken stopping)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, stopping)) > 0)
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stopping);
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side went away: the other pump ends when its socket is disposed.
            from.Close();
            to.Close();
        }
    }
}
