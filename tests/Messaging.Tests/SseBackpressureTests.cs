using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Suite.Redis;
using Suite.Testing;
using Xunit.Abstractions;

namespace Suite.Messaging.Tests;

public sealed class SseBackpressureTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_client_that_stops_reading_does_not_slow_the_producer_and_the_server_reads_no_further_ahead_than_the_socket_takes()
    {
        const int Events = 3000;
        await using var host = await JobTestHost.StartAsync();
        using var sent = new SentEvents(host.Services.GetRequiredService<IMeterFactory>());
        using var client = SmallWindowClient(host);
        var job = await JobTestProducer.CreateAsync(host, "alice");
        await job.StartAsync();
        await using var sse = await SseTestClient.OpenAsync(client, job.JobId);
        Assert.Equal("status", (await sse.NextEventAsync(Wait))!.Event);

        // The client now reads nothing while 12 MB are produced.
        var producing = Stopwatch.StartNew();
        for (var i = 1; i <= Events; i++)
            await job.OutputAsync(new { index = i, padding = Padding });
        await job.CompleteAsync();
        producing.Stop();

        // The server wrote only what the socket buffers took (kernel buffers are at most 4 MB here) and
        // holds at most one page more, instead of queueing the rest in memory.
        var writtenWhileStalled = sent.Count;
        output.WriteLine($"produced {Events} events in {producing.Elapsed.TotalMilliseconds:0} ms; written to the stalled client: {writtenWhileStalled}");
        Assert.InRange(writtenWhileStalled, 2, Events / 2);
        Assert.True(producing.Elapsed < TimeSpan.FromSeconds(15), $"the producer took {producing.Elapsed}");

        // Once the client reads again it gets everything, in order.
        var frames = await sse.ReadToEndAsync(Wait);
        Assert.Equal(Enumerable.Range(1, Events), Indexes(frames));
        Assert.Equal("succeeded", frames[^1].Json.GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_client_that_falls_behind_the_trimmed_history_is_cut_off_and_told_410_on_resume_never_given_a_gap()
    {
        const int Events = 3000;
        await using var host = await JobTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Jobs:MaxEventsPerJob"] = "200" });
        using var client = SmallWindowClient(host);
        var job = await JobTestProducer.CreateAsync(host, "alice");
        await job.StartAsync();
        await using var sse = await SseTestClient.OpenAsync(client, job.JobId);
        Assert.Equal("status", (await sse.NextEventAsync(Wait))!.Event);

        for (var i = 1; i <= Events; i++)
            await job.OutputAsync(new { index = i, padding = Padding });

        var frames = new List<SseFrame>();
        SseFrame? last = null;
        while (await sse.NextAsync(Wait) is { } frame)
        {
            last = frame;
            if (!frame.IsComment)
                frames.Add(frame);
        }
        var indexes = Indexes(frames);
        Assert.Equal(Enumerable.Range(1, indexes.Count), indexes);
        Assert.InRange(indexes.Count, 1, Events - 1);
        Assert.Contains("trimmed", last!.Comment);
        await using var resumed = await SseTestClient.OpenAsync(client, job.JobId, lastEventId: frames[^1].Id);
        Assert.Equal(System.Net.HttpStatusCode.Gone, resumed.StatusCode);
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

    private static readonly string Padding = new('x', 4000);

    private static List<int> Indexes(IEnumerable<SseFrame> frames) =>
        frames.Where(f => f.Event == "output").Select(f => f.Json.GetProperty("data").GetProperty("index").GetInt32()).ToList();

    /// <summary>A client whose socket takes little before it stops the server (a 4 KB receive buffer).</summary>
    private static HttpClient SmallWindowClient(JobTestHost host)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var client = new HttpClient(handler) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add(JobTestHost.OwnerHeader, "alice");
        return client;
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
