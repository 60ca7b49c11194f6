using System.Net;
using System.Net.Sockets;
using System.Text;
using Suite.AppHost.Orchestration;
using Suite.AppHost.Servers;

namespace Suite.AppHost.Tests;

public sealed class ReplicaProxyTests
{
    [Fact]
    public async Task Connections_take_turns_over_the_replicas()
    {
        using var one = new Replica("one");
        using var two = new Replica("two");
        await using var proxy = new ReplicaProxy(FreePort.Next(), [one.Port, two.Port]);
        proxy.Start();

        var answers = new List<string>();
        for (var i = 0; i < 4; i++)
            answers.Add(await AskAsync(proxy.Port, "who?"));

        Assert.Equal(2, answers.Count(a => a == "one: who?"));
        Assert.Equal(2, answers.Count(a => a == "two: who?"));
    }

    [Fact]
    public async Task A_replica_that_refuses_connections_is_skipped()
    {
        using var one = new Replica("one");
        var down = FreePort.Next();
        await using var proxy = new ReplicaProxy(FreePort.Next(), [down, one.Port]);
        proxy.Start();

        for (var i = 0; i < 3; i++)
            Assert.Equal("one: ping", await AskAsync(proxy.Port, "ping"));
    }

    private static async Task<string> AskAsync(int port, string question)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(question));
        client.Client.Shutdown(SocketShutdown.Send);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Answers each connection with its name and what it was sent, then closes.</summary>
    private sealed class Replica : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public Replica(string name)
        {
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (true)
                {
                    using var socket = await _listener.AcceptSocketAsync();
                    using var stream = new NetworkStream(socket);
                    var question = await new StreamReader(stream).ReadToEndAsync();
                    await stream.WriteAsync(Encoding.UTF8.GetBytes($"{name}: {question}"));
                }
            });
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public void Dispose() => _listener.Stop();
    }
}
