using Suite.Testing;

namespace Suite.Redis.Tests;

/// <summary>RESP3 reply types, produced by the real server (HELLO 3, and Lua's RESP3 conversions).</summary>
public sealed class Resp3Tests
{
    private readonly string _prefix = TestServers.KeyPrefix();

    [Fact]
    public async Task HGETALL_is_a_map_under_RESP3_and_a_flat_array_under_RESP2()
    {
        await using var resp3 = await TestClients.SharedAsync(protocol: 3);
        await using var resp2 = await TestClients.SharedAsync(protocol: 2);
        await resp3.HSetAsync(_prefix + "h", [new("a", "1"), new("b", "2")]);

        var map = await resp3.ExecuteAsync("HGETALL", _prefix + "h");
        var flat = await resp2.ExecuteAsync("HGETALL", _prefix + "h");

        Assert.Equal(RedisReplyKind.Map, map.Kind);
        Assert.Equal(RedisReplyKind.Array, flat.Kind);
        Assert.Equal("2", map.AsMap()["b"].AsString());
        Assert.Equal("2", flat.AsMap()["b"].AsString());
    }

    [Fact]
    public async Task Doubles_booleans_big_numbers_verbatim_strings_sets_and_nulls_are_read()
    {
        await using var redis = await TestClients.SharedAsync(protocol: 3);

        var number = await Lua(redis, "{double=3.25}");
        var yes = await Lua(redis, "true");
        var no = await Lua(redis, "false");
        var big = await Lua(redis, "{big_number='123456789012345678901234567890'}");
        var verbatim = await Lua(redis, "{verbatim_string={format='txt', string='hello\\r\\nworld'}}");
        var set = await Lua(redis, "{set={a=true, b=true}}");
        var map = await Lua(redis, "{map={answer=42}}");
        var nil = await redis.ExecuteAsync("GET", _prefix + "missing");

        Assert.Equal((RedisReplyKind.Double, 3.25), (number.Kind, number.AsDouble()));
        Assert.Equal((RedisReplyKind.Boolean, true), (yes.Kind, yes.AsBoolean()));
        Assert.Equal((RedisReplyKind.Boolean, false), (no.Kind, no.AsBoolean()));
        Assert.Equal(RedisReplyKind.BigNumber, big.Kind);
        Assert.Equal(System.Numerics.BigInteger.Parse("123456789012345678901234567890"), big.AsBigInteger());
        Assert.Equal((RedisReplyKind.VerbatimString, "txt", "hello\r\nworld"), (verbatim.Kind, verbatim.VerbatimFormat, verbatim.AsString()));
        Assert.Equal(RedisReplyKind.Set, set.Kind);
        Assert.Equal(["a", "b"], set.Elements.Select(e => e.AsString()).Order());
        Assert.Equal(42, map.AsMap()["answer"].AsInt64());
        Assert.Equal(RedisReplyKind.Null, nil.Kind);
    }

    [Fact]
    public async Task Typed_commands_read_RESP3_doubles_and_booleans()
    {
        await using var redis = await TestClients.SharedAsync(protocol: 3);
        await redis.ExecuteAsync("ZADD", _prefix + "z", 1.5, "m");

        var score = await redis.ExecuteAsync("ZSCORE", _prefix + "z", "m");

        Assert.Equal(RedisReplyKind.Double, score.Kind);
        Assert.Equal(2.5, await redis.IncrByFloatAsync(_prefix + "f", 2.5));
        Assert.True(await redis.SetAsync(_prefix + "k", "v", condition: SetCondition.NotExists));
        Assert.False(await redis.SetAsync(_prefix + "k", "v", condition: SetCondition.NotExists));
    }

    [Fact]
    public async Task Push_messages_between_replies_do_not_shift_the_replies_after_them()
    {
        await using var tracked = await TestClients.SharedAsync(protocol: 3);
        await using var writer = await TestClients.SharedAsync();
        await tracked.ExecuteAsync("CLIENT", "TRACKING", "ON");
        var keys = Enumerable.Range(0, 20).Select(i => $"{_prefix}{i}").ToArray();
        foreach (var key in keys)
        {
            await writer.SetAsync(key, key);
            await tracked.GetAsync(key); // now tracked: a change sends us an "invalidate" push
        }

        foreach (var key in keys)
            await writer.SetAsync(key, key + ":changed");
        var reads = await Task.WhenAll(keys.Select(k => tracked.GetAsync(k).AsTask()));

        Assert.Equal(keys.Select(k => k + ":changed"), reads.Select(r => r.ToString()));
    }

    private static Task<RedisReply> Lua(RedisClient redis, string value) =>
        redis.EvalAsync(new RedisScript($"redis.setresp(3); return {value}")).AsTask();
}
