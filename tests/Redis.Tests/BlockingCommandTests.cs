using System.Diagnostics;
using Suite.Testing;

namespace Suite.Redis.Tests;

public sealed class BlockingCommandTests
{
    private readonly string _prefix = TestServers.KeyPrefix();

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_blocking_XRead_does_not_block_other_commands_and_returns_when_an_entry_arrives(int protocol)
    {
        await using var redis = await TestClients.SharedAsync(protocol);
        var stream = _prefix + "s";
        var seed = await redis.XAddAsync(stream, [new("seed", 0)]);

        var blocked = redis.XReadAsync(stream, seed, block: TimeSpan.FromSeconds(10)).AsTask();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            await redis.SetAsync(_prefix + i, i);
            Assert.Equal(i, (await redis.GetAsync(_prefix + i)).ToInt64());
        }
        var othersTook = watch.Elapsed;
        Assert.False(blocked.IsCompleted);
        var id = await redis.XAddAsync(stream, [new("wake", "up")]);

        var entries = await blocked.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(othersTook < TimeSpan.FromSeconds(2), $"other commands took {othersTook}");
        Assert.Equal(id, Assert.Single(entries).Id);
    }

    [Fact]
    public async Task A_blocking_XReadGroup_returns_empty_when_the_block_time_passes_and_entries_when_they_come()
    {
        await using var redis = await TestClients.SharedAsync();
        var stream = _prefix + "s";
        await redis.XGroupCreateAsync(stream, "g");

        var watch = Stopwatch.StartNew();
        var none = await redis.XReadGroupAsync("g", "c", stream, block: TimeSpan.FromMilliseconds(100));
        var waited = watch.Elapsed;
        var pending = redis.XReadGroupAsync("g", "c", stream, count: 5, block: TimeSpan.FromSeconds(10)).AsTask();
        await redis.XAddAsync(stream, [new("job", "x")]);
        var delivered = await pending.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Empty(none);
        Assert.InRange(waited, TimeSpan.FromMilliseconds(90), TimeSpan.FromSeconds(2));
        Assert.Equal("x", Assert.Single(delivered)["job"].ToString());
    }

    [Fact]
    public async Task Many_blocking_reads_at_once_each_get_a_connection_of_their_own()
    {
        var name = $"blockers-{Guid.NewGuid():N}";
        await using var redis = await TestClients.SharedAsync(configure: o => o.ClientName = name);
        var streams = Enumerable.Range(0, 12).Select(i => $"{_prefix}s{i}").ToArray();

        var reads = streams.Select(s => redis.XReadAsync(s, "0-0", block: TimeSpan.FromSeconds(10)).AsTask()).ToArray();
        await Eventually.Until(async () => await BlockedClientsAsync(redis, name) == streams.Length, TimeSpan.FromSeconds(5), "every read is blocked on the server at once");
        foreach (var stream in streams)
            await redis.XAddAsync(stream, [new("n", 1)]);

        var results = await Task.WhenAll(reads).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.All(results, entries => Assert.Single(entries));
    }

    [Fact]
    public async Task BLPop_returns_the_pushed_element_or_null_after_its_timeout()
    {
        await using var redis = await TestClients.SharedAsync();
        var list = _prefix + "list";

        var timedOut = await redis.BLPopAsync([list], TimeSpan.FromMilliseconds(100));
        var waiting = redis.BLPopAsync([_prefix + "other", list], TimeSpan.FromSeconds(10)).AsTask();
        await redis.RPushAsync(list, ["first", "second"]);
        var popped = await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Null(timedOut);
        Assert.Equal(list, popped?.Key);
        Assert.Equal("first", popped?.Value.ToString());
    }

    [Fact]
    public async Task Cancelling_a_blocking_read_ends_it_promptly_and_the_next_one_works()
    {
        await using var redis = await TestClients.SharedAsync();
        var stream = _prefix + "s";
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => redis.XReadAsync(stream, "$", block: TimeSpan.Zero, cancellationToken: cancel.Token).AsTask());

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"cancellation took {watch.Elapsed}");
        await redis.XAddAsync(stream, [new("n", 1)], id: "1-0");
        Assert.Single(await redis.XReadAsync(stream, "0", block: TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_raw_BLPOP_goes_to_a_dedicated_connection()
    {
        await using var redis = await TestClients.SharedAsync();
        var list = _prefix + "list";

        var blocked = redis.ExecuteAsync("BLPOP", list, 10).AsTask();
        Assert.Equal("PONG", (await redis.ExecuteAsync("PING")).AsString());
        await redis.LPushAsync(list, ["v"]);
        var reply = await blocked.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal([list, "v"], reply.Elements.Select(e => e.AsString()));
    }

    private static async Task<int> BlockedClientsAsync(RedisClient redis, string name)
    {
        var clients = (await redis.ExecuteAsync("CLIENT LIST")).AsString()!.Split('\n');
        return clients.Count(c => c.Contains($" name={name} ") && c.Contains(" flags=b "));
    }
}
