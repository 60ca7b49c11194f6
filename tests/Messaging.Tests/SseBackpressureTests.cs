using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Suite.Redis;
using Suite.Testing;

namespace Suite.Messaging.Tests;

public sealed class SseBackpressureTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_client_that_stops_reading_does_not_slow_the_producer_and_the_server_reads_no_further_ahead_than_the_socket_takes()
    {
        const int Events = 3000;
        await using var host = await JobTestHost.StartAsync();
        using var sent = new SentEvents(host.Services.GetRequiredService<IMeterFactory>());
        var job = await JobTestProducer.CreateAsync(host, "alice");
        await job.StartAsync();
        var padding = new string('x', 4000);

        // A client with a small receive window that reads nothing.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            $"GET /v1/jobs/{job.JobId}/events HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\n{JobTestHost.OwnerHeader}: alice\r\nAccept: text/event-stream\r\n\r\n"));
        await Eventually.Until(() => sent.Count >= 2, Wait, "the replay reached the client's socket");

        var producing = Stopwatch.StartNew();
        for (var i = 1; i <= Events; i++)
            await job.OutputAsync(new { index = i, padding });
        await job.CompleteAsync();
        producing.Stop();

        // 12 MB were produced; the server wrote only what the socket buffers took (kernel buffers are at
        // most 4 MB here) and holds at most one page more, instead of queueing the rest in memory.
        var writtenWhileStalled = sent.Count;
        Assert.InRange(writtenWhileStalled, 2, Events / 2);
        Assert.True(producing.Elapsed < TimeSpan.FromSeconds(15), $"the producer took {producing.Elapsed}");

        // Once the client reads again it gets everything, in order.
        var indexes = await ReadOutputIndexesAsync(socket);
        Assert.Equal(Enumerable.Range(1, Events), indexes);
    }

    [Fact]
    public async Task Many_clients_of_many_jobs_share_one_blocking_redis_connection()
    {
        var server = await TestServers.RedisAsync();
        var name = "sse" + Guid.NewGuid().ToString("N")[..8];
        await using var host = await JobTestHost.StartAsync(redis: server.ConnectionString + ",name=" + name);
        using var client = host.Client("alice");
        await using var admin = new RedisClient(RedisOptions.Parse(server.ConnectionString));
        var jobs = new List<JobTestProducer>();
        var streams = new List<SseTestClient>();
        for (var j = 0; j < 5; j++)
        {
            var job = await JobTestProducer.CreateAsync(host, "alice");
            await job.StartAsync();
            jobs.Add(job);
            for (var c = 0; c < 4; c++)
            {
                var sse = await SseTestClient.OpenAsync(client, job.JobId);
                streams.Add(sse);
                await sse.NextEventAsync(Wait);
                await sse.NextEventAsync(Wait);
            }
        }
        try
        {
            foreach (var job in jobs)
                await job.OutputAsync(new { index = 1 });
            foreach (var sse in streams)
                Assert.Equal("output", (await sse.NextEventAsync(Wait))!.Event);

            var connections = (await admin.ExecuteAsync("CLIENT", "LIST")).AsString()!
                .Split('\n').Count(line => line.Contains($" name={name} ", StringComparison.Ordinal));
            // The shared command connection, the follower's blocking one, at most one more in passing.
            Assert.InRange(connections, 1, 3);
        }
        finally
        {
            foreach (var sse in streams)
                await sse.DisposeAsync();
        }
    }

    private static async Task<List<int>> ReadOutputIndexesAsync(Socket socket)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(Wait);
        var indexes = new List<int>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: {\"type\":\"output\"", StringComparison.Ordinal))
            {
                var start = line.IndexOf("\"index\":", StringComparison.Ordinal) + 8;
                indexes.Add(int.Parse(line.AsSpan(start, line.IndexOf(',', start) - start)));
            }
            if (line.Contains("\"status\":\"succeeded\"", StringComparison.Ordinal))
                break;
        }
        return indexes;
    }

    /// <summary>Counts the job events one host wrote to SSE clients.</summary>
    private sealed class SentEvents : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public SentEvents(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "suite.jobs.sse.events" && ReferenceEquals(instrument.Meter.Scope, meters))
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
