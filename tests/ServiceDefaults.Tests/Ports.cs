using System.Net;
using System.Net.Sockets;

namespace Suite.ServiceDefaults.Tests;

/// <summary>Addresses where PostgreSQL is not: nothing listening, or a listener that never answers.</summary>
internal static class Ports
{
    /// <summary>A port with nothing listening on it: connecting is refused at once.</summary>
    public static int Closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// A listener that accepts connections (the kernel completes the handshake) but never says a
    /// word: a client waits for the server's reply until its own time-out, like a hung database.
    /// </summary>
    public static TcpListener Silent()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(backlog: 64);
        return listener;
    }

    public static int Port(this TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    public static string UnreachablePostgres(int port) =>
        $"Host=127.0.0.1;Port={port};Username=nobody;Password=nothing;Database=none;Timeout=2";
}
