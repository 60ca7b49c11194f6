using System.Diagnostics;
using Suite.Testing;

namespace Suite.Redis.Tests;

public sealed class ConnectionTests
{
    private readonly string _prefix = TestServers.KeyPrefix();

    [Fact]
    public async Task Replies_are_never_mixed_up_across_1000_concurrent_callers()
    {
        await using var redis = await TestClients.SharedAsync();

        var callers = Enumerable.Range(0, 1000).Select(i => Task.Run(async () =>
        {
            var key = $"{_prefix}{i}";
            var value = new string((char)('a' + i % 26), i % 300 + 1) + i;
            for (var round = 0; round < 5; round++)
            {
                await redis.SetAsync(key, value + round);
                var read = await redis.GetAsync(key);
                if (read.ToString() != value + round)
                    return $"caller {i} round {round} read '{read}'";
            }
            return null;
        }));
        var problems = (await Task.WhenAll(callers)).Where(p => p is not null).ToList();

        Assert.Empty(problems);
    }

    [Fact]
    public async Task Ping_connects_lazily_and_returns_the_round_trip_time()
    {
        await using var redis = await TestClients.SharedAsync();
        Assert.False(redis.IsConnected);

        var roundTrip = await redis.PingAsync();

        Assert.True(redis.IsConnected);
        Assert.InRange(roundTrip, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Connecting_to_a_port_nobody_listens_on_fails_quickly_and_names_the_endpoint()
    {
        var port = Suite.AppHost.Servers.FreePort.Next();
        await using var redis = new RedisClient(RedisOptions.Parse($"127.0.0.1:{port}"));
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => redis.GetAsync("k").AsTask());
        var again = await Assert.ThrowsAsync<RedisConnectionException>(() => redis.PingAsync());

        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Equal("GET", error.Command);
        Assert.Equal($"127.0.0.1:{port}", again.Endpoint);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task In_flight_commands_fail_fast_when_the_server_dies_and_later_commands_succeed_after_it_restarts()
    {
        await using var server = await TestServers.StartPrivateRedisAsync(appendOnly: false);
        await using var redis = TestClients.For(server);
        await redis.SetAsync("k", "before");
        var script = TestClients.BusyScript(3000);
        await redis.ScriptLoadAsync(script); // so EVALSHA runs it at once and the GETs queue behind it
        var busy = redis.EvalAsync(script).AsTask();
        var inFlight = Enumerable.Range(0, 20).Select(_ => redis.GetAsync("k").AsTask()).ToArray();
        var watch = Stopwatch.StartNew();

        await server.KillAsync();
        var busyError = await Assert.ThrowsAsync<RedisConnectionException>(() => busy);
        var errors = await Task.WhenAll(inFlight.Select(t => Assert.ThrowsAsync<RedisConnectionException>(() => t)));
        var failedWithin = watch.Elapsed;
        var whileDown = await Assert.ThrowsAsync<RedisConnectionException>(() => redis.GetAsync("k").AsTask());

        Assert.True(failedWithin < TimeSpan.FromSeconds(2), $"in-flight commands took {failedWithin} to fail");
        Assert.Contains($"127.0.0.1:{server.Port}", busyError.Message);
        Assert.All(errors, e => Assert.Equal("GET", e.Command));
        Assert.Equal("GET", whileDown.Command);

        await server.StartAgainAsync();
        await Eventually.Until(async () => await redis.SetAsync("k", "after"), TimeSpan.FromSeconds(10), "the client has reconnected");
        Assert.Equal("after", (await redis.GetAsync("k")).ToString());
    }

    [Fact]
    public async Task Under_load_a_server_restart_fails_or_completes_every_command_and_never_mixes_replies()
    {
        await using var server = await TestServers.StartPrivateRedisAsync(appendOnly: false);
        await using var redis = TestClients.For(server);
        await redis.PingAsync();
        using var stop = new CancellationTokenSource();
        var wrong = 0;
        var failed = 0;
        var succeeded = 0;

        var callers = Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            for (var round = 0; !stop.IsCancellationRequested; round++)
            {
                try
                {
                    await redis.SetAsync($"k{i}", $"{i}:{round}");
                    if ((await redis.GetAsync($"k{i}")).ToString() != $"{i}:{round}")
                        Interlocked.Increment(ref wrong);
                    Interlocked.Increment(ref succeeded);
                }
                catch (RedisConnectionException)
                {
                    Interlocked.Increment(ref failed);
                    await Task.Yield();
                }
            }
        })).ToArray();
        await Eventually.Until(() => Volatile.Read(ref succeeded) > 1000, TimeSpan.FromSeconds(10), "the callers are running");
        await server.KillAsync();
        await Eventually.Until(() => Volatile.Read(ref failed) > 0, TimeSpan.FromSeconds(5), "commands fail while the server is down");
        await server.StartAgainAsync();
        var before = Volatile.Read(ref succeeded);
        await Eventually.Until(() => Volatile.Read(ref succeeded) > before + 1000, TimeSpan.FromSeconds(10), "commands succeed again");
        stop.Cancel();

        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, wrong);
    }

    [Fact]
    public async Task The_client_reconnects_after_a_graceful_server_restart()
    {
        await using var server = await TestServers.StartPrivateRedisAsync();
        await using var redis = TestClients.For(server);
        await redis.SetAsync("k", "kept");

        await server.RestartAsync();

        await Eventually.Until(async () => (await redis.GetAsync("k")).ToString() == "kept", TimeSpan.FromSeconds(10), "the client reads through a new connection");
    }

    [Fact]
    public async Task A_command_that_times_out_fails_with_a_timeout_and_later_commands_get_their_own_replies()
    {
        await using var server = await TestServers.StartPrivateRedisAsync(appendOnly: false);
        await using var redis = TestClients.For(server, configure: o => o.CommandTimeout = TimeSpan.FromMilliseconds(200));
        await redis.SetAsync("k", "mine");
        var script = TestClients.BusyScript(700);
        await redis.ScriptLoadAsync(script);
        var watch = Stopwatch.StartNew();

        var slow = redis.EvalAsync(script).AsTask();
        var queuedBehind = redis.GetAsync("k").AsTask();
        var timeout = await Assert.ThrowsAsync<RedisTimeoutException>(() => slow);
        var timedOutAfter = watch.Elapsed;
        await Assert.ThrowsAsync<RedisTimeoutException>(() => queuedBehind);
        await Eventually.Until(async () => await redis.PingAsync() >= TimeSpan.Zero, TimeSpan.FromSeconds(5), "the server is free again");

        Assert.InRange(timedOutAfter, TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(650));
        Assert.StartsWith("EVAL", timeout.Command);
        Assert.Equal("mine", (await redis.GetAsync("k")).ToString());
        Assert.Equal(7, (await redis.EvalAsync(new RedisScript("return 7"))).AsInt64());
        Assert.True(redis.IsConnected);
    }

    [Fact]
    public async Task A_cancelled_command_fails_at_once_and_the_replies_after_it_stay_in_order()
    {
        await using var server = await TestServers.StartPrivateRedisAsync(appendOnly: false);
        await using var redis = TestClients.For(server);
        await redis.SetAsync("k", "mine");
        await redis.SetAsync("other", "theirs");
        var script = TestClients.BusyScript(500);
        await redis.ScriptLoadAsync(script);

        var busy = redis.EvalAsync(script).AsTask();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var cancelled = redis.GetAsync("other", cancel.Token).AsTask();
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var cancelledAfter = watch.Elapsed;
        var next = redis.GetAsync("k").AsTask();

        Assert.True(cancelledAfter < TimeSpan.FromMilliseconds(400), $"cancellation took {cancelledAfter}");
        Assert.Equal("slept", (await busy).AsString());
        Assert.Equal("mine", (await next).ToString());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => redis.GetAsync("k", new CancellationToken(true)).AsTask());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_password_protected_server_accepts_the_right_password(int protocol)
    {
        await using var server = await TestServers.StartPrivateRedisAsync(password: "s3cret-pw", appendOnly: false);
        await using var redis = TestClients.For(server, protocol);

        await redis.SetAsync("k", "v");

        Assert.Equal("v", (await redis.GetAsync("k")).ToString());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_wrong_password_gives_a_clear_error_that_does_not_contain_the_password(int protocol)
    {
        await using var server = await TestServers.StartPrivateRedisAsync(password: "right-pw", appendOnly: false);
        await using var redis = TestClients.For(server, protocol, o => o.Password = "Wr0ngPassw0rd");

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => redis.ConnectAsync());

        var everything = error.ToString();
        Assert.DoesNotContain("Wr0ngPassw0rd", everything);
        Assert.DoesNotContain("right-pw", everything);
        Assert.Contains("WRONGPASS", error.Message);
        Assert.Contains($"127.0.0.1:{server.Port}", error.Message);
        Assert.DoesNotContain("Wr0ngPassw0rd", redis.Options.ToString());
    }

    [Fact]
    public async Task The_database_option_selects_the_database_on_every_connection()
    {
        await using var inDb3 = await TestClients.SharedAsync(configure: o => o.Database = 3);
        await using var inDb0 = await TestClients.SharedAsync();

        await inDb3.SetAsync(_prefix + "k", "three");

        Assert.Equal("three", (await inDb3.GetAsync(_prefix + "k")).ToString());
        Assert.True((await inDb0.GetAsync(_prefix + "k")).IsNull);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task The_client_name_shows_in_CLIENT_LIST(int protocol)
    {
        var name = $"tests-{Guid.NewGuid():N}";
        await using var redis = await TestClients.SharedAsync(protocol, o => o.ClientName = name);

        var list = (await redis.ExecuteAsync("CLIENT LIST")).AsString();

        Assert.Contains($"name={name}", list);
        Assert.Equal(name, (await redis.ExecuteAsync("CLIENT", "GETNAME")).AsString());
    }

    [Fact]
    public async Task Commands_after_dispose_throw_ObjectDisposedException()
    {
        var redis = await TestClients.SharedAsync();
        await redis.PingAsync();
        await redis.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => redis.GetAsync("k").AsTask());
    }
}
