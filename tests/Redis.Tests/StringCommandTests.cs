using Suite.Testing;

namespace Suite.Redis.Tests;

public sealed class StringCommandTests
{
    private readonly string _prefix = TestServers.KeyPrefix();

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Set_then_get_returns_the_value(int protocol)
    {
        await using var redis = await TestClients.SharedAsync(protocol);

        Assert.True(await redis.SetAsync(_prefix + "k", "héllo"));

        Assert.Equal("héllo", (await redis.GetAsync(_prefix + "k")).ToString());
    }

    [Fact]
    public async Task Get_of_a_missing_key_returns_null()
    {
        await using var redis = await TestClients.SharedAsync();

        var value = await redis.GetAsync(_prefix + "missing");

        Assert.True(value.IsNull);
        Assert.Null((string?)value);
    }

    [Fact]
    public async Task Set_with_NotExists_writes_only_when_the_key_is_missing()
    {
        await using var redis = await TestClients.SharedAsync();

        Assert.True(await redis.SetAsync(_prefix + "nx", "first", condition: SetCondition.NotExists));
        Assert.False(await redis.SetAsync(_prefix + "nx", "second", condition: SetCondition.NotExists));
        Assert.False(await redis.SetAsync(_prefix + "xx", "never", condition: SetCondition.Exists));

        Assert.Equal("first", (await redis.GetAsync(_prefix + "nx")).ToString());
        Assert.False(await redis.ExistsAsync(_prefix + "xx"));
    }

    [Fact]
    public async Task Set_with_an_expiry_in_seconds_or_milliseconds_sets_the_ttl()
    {
        await using var redis = await TestClients.SharedAsync();

        await redis.SetAsync(_prefix + "ex", "v", TimeSpan.FromSeconds(100));
        await redis.SetAsync(_prefix + "px", "v", TimeSpan.FromMilliseconds(50_500));

        Assert.InRange(await redis.TtlAsync(_prefix + "ex"), 98, 100);
        Assert.InRange(await redis.PTtlAsync(_prefix + "px"), 49_000, 50_500);
    }

    [Fact]
    public async Task MGet_returns_values_in_key_order_with_null_for_missing_keys()
    {
        await using var redis = await TestClients.SharedAsync();
        await redis.SetAsync(_prefix + "a", "1");
        await redis.SetAsync(_prefix + "c", "3");

        var values = await redis.MGetAsync([_prefix + "a", _prefix + "b", _prefix + "c"]);

        Assert.Equal(["1", null, "3"], values.Select(v => v.AsString()));
    }

    [Fact]
    public async Task Del_and_Exists_count_the_keys()
    {
        await using var redis = await TestClients.SharedAsync();
        await redis.SetAsync(_prefix + "a", "1");
        await redis.SetAsync(_prefix + "b", "2");

        Assert.Equal(2, await redis.ExistsAsync([_prefix + "a", _prefix + "b", _prefix + "c"]));
        Assert.Equal(2, await redis.DelAsync([_prefix + "a", _prefix + "b", _prefix + "c"]));
        Assert.False(await redis.DelAsync(_prefix + "a"));
        Assert.Equal(0, await redis.ExistsAsync([_prefix + "a"]));
    }

    [Fact]
    public async Task Expire_and_PExpire_set_ttls_that_Ttl_and_PTtl_report()
    {
        await using var redis = await TestClients.SharedAsync();
        await redis.SetAsync(_prefix + "k", "v");
        Assert.Equal(-1, await redis.TtlAsync(_prefix + "k"));
        Assert.Equal(-2, await redis.TtlAsync(_prefix + "none"));

        Assert.True(await redis.ExpireAsync(_prefix + "k", TimeSpan.FromSeconds(30)));
        Assert.InRange(await redis.TtlAsync(_prefix + "k"), 28, 30);
        Assert.True(await redis.PExpireAsync(_prefix + "k", TimeSpan.FromMilliseconds(20_000)));
        Assert.InRange(await redis.PTtlAsync(_prefix + "k"), 18_000, 20_000);
        Assert.False(await redis.ExpireAsync(_prefix + "none", TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Counters_increment_and_decrement(int protocol)
    {
        await using var redis = await TestClients.SharedAsync(protocol);

        Assert.Equal(5, await redis.IncrByAsync(_prefix + "n", 5));
        Assert.Equal(6, await redis.IncrByAsync(_prefix + "n"));
        Assert.Equal(-4, await redis.DecrByAsync(_prefix + "n", 10));
        Assert.Equal(1.5, await redis.IncrByFloatAsync(_prefix + "f", 1.5));
        Assert.Equal(-1.25, await redis.IncrByFloatAsync(_prefix + "f", -2.75));
    }

    [Fact]
    public async Task IncrByWithExpiry_sets_the_expiry_when_the_counter_is_created_and_keeps_it_after()
    {
        await using var redis = await TestClients.SharedAsync();
        var key = _prefix + "window";

        Assert.Equal(3, await redis.IncrByWithExpiryAsync(key, 3, TimeSpan.FromSeconds(60)));
        var firstTtl = await redis.PTtlAsync(key);
        await redis.PExpireAsync(key, TimeSpan.FromSeconds(10));
        Assert.Equal(5, await redis.IncrByWithExpiryAsync(key, 2, TimeSpan.FromSeconds(60)));

        Assert.InRange(firstTtl, 58_000, 60_000);
        Assert.InRange(await redis.PTtlAsync(key), 8_000, 10_000);
    }

    [Fact]
    public async Task Binary_values_with_every_byte_value_and_crlf_inside_round_trip()
    {
        await using var redis = await TestClients.SharedAsync();
        var value = Enumerable.Range(0, 256).Select(i => (byte)i).Concat("\r\n$5\r\n*1\r\n"u8.ToArray()).ToArray();
        byte[] key = [.. System.Text.Encoding.UTF8.GetBytes(_prefix), 0, 13, 10, 255];

        await redis.SetAsync(key, value);
        await redis.SetAsync(_prefix + "memory", new ReadOnlyMemory<byte>(value, 10, 20));

        Assert.Equal(value, (await redis.GetAsync(key)).ToArray());
        Assert.Equal(value[10..30], (await redis.GetAsync(_prefix + "memory")).ToArray());
    }

    [Fact]
    public async Task One_megabyte_values_round_trip_alongside_small_ones()
    {
        await using var redis = await TestClients.SharedAsync();
        var big = new byte[1024 * 1024];
        Random.Shared.NextBytes(big);

        var writes = Enumerable.Range(0, 4).Select(i => redis.SetAsync(_prefix + "big" + i, big).AsTask())
            .Concat(Enumerable.Range(0, 50).Select(i => redis.SetAsync(_prefix + "small" + i, i).AsTask()));
        await Task.WhenAll(writes);
        var reads = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => redis.GetAsync(_prefix + "big" + i).AsTask()));

        Assert.All(reads, read => Assert.Equal(big, read.ToArray()));
        Assert.Equal(49, (await redis.GetAsync(_prefix + "small49")).ToInt64());
    }

    [Fact]
    public async Task An_error_reply_throws_a_server_exception_naming_the_command_and_the_connection_goes_on()
    {
        await using var redis = await TestClients.SharedAsync();
        await redis.HSetAsync(_prefix + "hash", "f", "v");

        var error = await Assert.ThrowsAsync<RedisServerException>(() => redis.GetAsync(_prefix + "hash").AsTask());

        Assert.Equal("WRONGTYPE", error.ErrorCode);
        Assert.Equal("GET", error.Command);
        Assert.Contains("GET", error.Message);
        Assert.Equal("v", (await redis.HGetAsync(_prefix + "hash", "f")).ToString());
    }
}
