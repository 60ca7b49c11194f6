using Suite.Testing;

namespace Suite.Redis.Tests;

public sealed class HashCommandTests
{
    private readonly string _prefix = TestServers.KeyPrefix();

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task HSet_of_many_fields_then_HGetAll_returns_them_all(int protocol)
    {
        await using var redis = await TestClients.SharedAsync(protocol);

        var added = await redis.HSetAsync(_prefix + "h", [new("a", "1"), new("b", new byte[] { 0, 255 }), new("c", 3)]);
        var all = await redis.HGetAllAsync(_prefix + "h");

        Assert.Equal(3, added);
        Assert.Equal(["a", "b", "c"], all.Keys.Order());
        Assert.Equal("1", all["a"].ToString());
        Assert.Equal(new byte[] { 0, 255 }, all["b"].ToArray());
        Assert.Equal(3, all["c"].ToInt64());
        Assert.Empty(await redis.HGetAllAsync(_prefix + "none"));
    }

    [Fact]
    public async Task HGet_HMGet_HIncrBy_and_HDel_work_on_single_fields()
    {
        await using var redis = await TestClients.SharedAsync();
        var key = _prefix + "h";

        Assert.True(await redis.HSetAsync(key, "name", "ada"));
        Assert.False(await redis.HSetAsync(key, "name", "grace"));
        Assert.Equal(7, await redis.HIncrByAsync(key, "count", 7));
        Assert.Equal(5, await redis.HIncrByAsync(key, "count", -2));

        Assert.Equal("grace", (await redis.HGetAsync(key, "name")).ToString());
        Assert.True((await redis.HGetAsync(key, "missing")).IsNull);
        Assert.Equal(["grace", null, "5"], (await redis.HMGetAsync(key, ["name", "missing", "count"])).Select(v => v.AsString()));
        Assert.Equal(1, await redis.HDelAsync(key, ["name", "missing"]));
        Assert.Equal(["count"], (await redis.HGetAllAsync(key)).Keys);
    }
}
