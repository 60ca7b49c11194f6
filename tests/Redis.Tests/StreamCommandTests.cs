using Suite.Testing;

namespace Suite.Redis.Tests;

public sealed class StreamCommandTests
{
    private readonly string _prefix = TestServers.KeyPrefix();

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task XAdd_with_explicit_ids_then_XRange_and_XRevRange_with_count(int protocol)
    {
        await using var redis = await TestClients.SharedAsync(protocol);
        var key = _prefix + "s";

        for (var i = 1; i <= 5; i++)
            Assert.Equal($"{i}-0", await redis.XAddAsync(key, [new("n", i), new("data", new byte[] { 0, 13, 10 })], id: $"{i}-0"));
        var auto = await redis.XAddAsync(key, [new("n", 6)]);

        var first = await redis.XRangeAsync(key, count: 2);
        var middle = await redis.XRangeAsync(key, "2-0", "4-0");
        var newest = await redis.XRevRangeAsync(key, count: 2);

        Assert.Equal(["1-0", "2-0"], first.Select(e => e.Id));
        Assert.Equal(1, first[0]["n"].ToInt64());
        Assert.Equal(new byte[] { 0, 13, 10 }, first[0]["data"].ToArray());
        Assert.Equal(["n", "data"], first[0].Fields.Select(f => f.Key));
        Assert.Equal(["2-0", "3-0", "4-0"], middle.Select(e => e.Id));
        Assert.Equal([auto, "5-0"], newest.Select(e => e.Id));
        Assert.Empty(await redis.XRangeAsync(_prefix + "none"));
    }

    [Fact]
    public async Task XAdd_with_an_exact_MaxLength_trims_the_stream_and_XLen_XDel_XTrim_agree()
    {
        await using var redis = await TestClients.SharedAsync();
        var key = _prefix + "s";

        for (var i = 0; i < 20; i++)
            await redis.XAddAsync(key, [new("i", i)], maxLength: 10, approximateTrim: false);
        await redis.XAddAsync(key, [new("i", 20)], maxLength: 1000);
        Assert.Equal(11, await redis.XLenAsync(key));

        var ids = (await redis.XRangeAsync(key, count: 2)).Select(e => e.Id).ToArray();
        Assert.Equal(2, await redis.XDelAsync(key, ids));
        Assert.Equal(9, await redis.XLenAsync(key));
        Assert.Equal(6, await redis.XTrimAsync(key, 3, approximate: false));
        Assert.Equal(3, await redis.XLenAsync(key));
        Assert.Equal(0, await redis.XLenAsync(_prefix + "none"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task XRead_returns_the_entries_after_an_id_from_several_streams(int protocol)
    {
        await using var redis = await TestClients.SharedAsync(protocol);
        var a = _prefix + "a";
        var b = _prefix + "b";
        await redis.XAddAsync(a, [new("x", 1)], id: "1-0");
        await redis.XAddAsync(a, [new("x", 2)], id: "2-0");
        await redis.XAddAsync(b, [new("y", 1)], id: "1-0");

        var one = await redis.XReadAsync(a, "1-0");
        var many = await redis.XReadAsync([new StreamPosition(a, "0"), new StreamPosition(b, "1-0")], count: 10);

        Assert.Equal(["2-0"], one.Select(e => e.Id));
        var result = Assert.Single(many);
        Assert.Equal(a, result.Key);
        Assert.Equal(2, result.Entries.Count);
        Assert.Empty(await redis.XReadAsync(b, "1-0"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task XReadGroup_delivers_new_entries_once_and_XAck_clears_them_from_pending(int protocol)
    {
        await using var redis = await TestClients.SharedAsync(protocol);
        var key = _prefix + "s";
        Assert.True(await redis.XGroupCreateAsync(key, "g", "0"));
        await redis.XAddAsync(key, [new("job", "a")]);
        await redis.XAddAsync(key, [new("job", "b")]);

        var delivered = await redis.XReadGroupAsync("g", "c1", key, count: 10);
        var again = await redis.XReadGroupAsync("g", "c2", key);
        var pendingOfC1 = await redis.XReadGroupAsync("g", "c1", key, id: "0");
        var acked = await redis.XAckAsync(key, "g", [delivered[0].Id]);
        var summary = await redis.XPendingAsync(key, "g");

        Assert.Equal(["a", "b"], delivered.Select(e => e["job"].ToString()));
        Assert.Empty(again);
        Assert.Equal(2, pendingOfC1.Count);
        Assert.Equal(1, acked);
        Assert.Equal(1, summary.Count);
        Assert.Equal(delivered[1].Id, summary.LowestId);
        Assert.Equal(1, summary.PendingByConsumer["c1"]);
    }

    [Fact]
    public async Task XReadGroup_with_NoAck_leaves_nothing_pending()
    {
        await using var redis = await TestClients.SharedAsync();
        var key = _prefix + "s";
        await redis.XGroupCreateAsync(key, "g", "0");
        await redis.XAddAsync(key, [new("k", "v")]);

        Assert.Single(await redis.XReadGroupAsync("g", "c", key, noAck: true));

        var summary = await redis.XPendingAsync(key, "g");
        Assert.Equal(0, summary.Count);
        Assert.Null(summary.LowestId);
        Assert.Empty(summary.PendingByConsumer);
    }

    [Fact]
    public async Task XGroupCreate_reports_an_existing_group_instead_of_throwing()
    {
        await using var redis = await TestClients.SharedAsync();
        var key = _prefix + "s";

        Assert.True(await redis.XGroupCreateAsync(key, "g"));
        Assert.False(await redis.XGroupCreateAsync(key, "g"));
        await Assert.ThrowsAsync<RedisServerException>(() => redis.XGroupCreateAsync(_prefix + "none", "g", createStream: false).AsTask());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task XAutoClaim_moves_idle_entries_to_another_consumer_and_reports_deleted_ones(int protocol)
    {
        await using var redis = await TestClients.SharedAsync(protocol);
        var key = _prefix + "s";
        await redis.XGroupCreateAsync(key, "g", "0");
        for (var i = 0; i < 3; i++)
            await redis.XAddAsync(key, [new("i", i)], id: $"{i + 1}-0");
        await redis.XReadGroupAsync("g", "dead", key);
        await redis.XDelAsync(key, ["2-0"]);

        var claimed = await redis.XAutoClaimAsync(key, "g", "alive", TimeSpan.Zero, count: 10);
        var pending = await redis.XPendingMessagesAsync(key, "g", 10);

        Assert.Equal("0-0", claimed.NextStartId);
        Assert.Equal(["1-0", "3-0"], claimed.Entries.Select(e => e.Id));
        Assert.Equal(["2-0"], claimed.DeletedIds);
        Assert.All(pending, p => Assert.Equal("alive", p.Consumer));
        Assert.All(pending, p => Assert.Equal(2, p.DeliveryCount));
    }

    [Fact]
    public async Task XPending_extended_form_filters_by_consumer_and_idle_time()
    {
        await using var redis = await TestClients.SharedAsync();
        var key = _prefix + "s";
        await redis.XGroupCreateAsync(key, "g", "0");
        await redis.XAddAsync(key, [new("i", 1)], id: "1-0");
        await redis.XAddAsync(key, [new("i", 2)], id: "2-0");
        await redis.XReadGroupAsync("g", "c1", key, count: 1);
        await redis.XReadGroupAsync("g", "c2", key, count: 1);

        var ofC2 = await redis.XPendingMessagesAsync(key, "g", 10, consumer: "c2");
        var longIdle = await redis.XPendingMessagesAsync(key, "g", 10, minIdle: TimeSpan.FromHours(1));

        var only = Assert.Single(ofC2);
        Assert.Equal(("2-0", "c2", 1L), (only.Id, only.Consumer, only.DeliveryCount));
        Assert.Empty(longIdle);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task XInfo_describes_the_stream_and_its_groups(int protocol)
    {
        await using var redis = await TestClients.SharedAsync(protocol);
        var key = _prefix + "s";
        await redis.XAddAsync(key, [new("i", 1)], id: "1-0");
        await redis.XAddAsync(key, [new("i", 2)], id: "2-0");
        await redis.XGroupCreateAsync(key, "g", "0");
        await redis.XReadGroupAsync("g", "c", key, count: 1);

        var info = await redis.XInfoStreamAsync(key);
        var group = Assert.Single(await redis.XInfoGroupsAsync(key));

        Assert.Equal((2L, 1L, "2-0"), (info.Length, info.Groups, info.LastGeneratedId));
        Assert.Equal("1-0", info.FirstEntry?.Id);
        Assert.Equal(2, info.LastEntry?["i"].ToInt64());
        Assert.Equal(2, info.EntriesAdded);
        Assert.Equal(("g", 1L, 1L, "1-0"), (group.Name, group.Consumers, group.Pending, group.LastDeliveredId));
        Assert.Equal(1, group.Lag);
    }

    [Fact]
    public async Task XGroupDelConsumer_drops_the_consumer_and_its_pending_entries()
    {
        await using var redis = await TestClients.SharedAsync();
        var key = _prefix + "s";
        await redis.XGroupCreateAsync(key, "g", "0");
        await redis.XAddAsync(key, [new("i", 1)]);
        await redis.XReadGroupAsync("g", "gone", key);

        Assert.Equal(1, await redis.XGroupDelConsumerAsync(key, "g", "gone"));
        Assert.Equal(0, (await redis.XPendingAsync(key, "g")).Count);
        Assert.True(await redis.XGroupDestroyAsync(key, "g"));
    }
}
