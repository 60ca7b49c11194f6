using Suite.Testing;

namespace Suite.Redis.Tests;

public sealed class ScriptTests
{
    private static readonly RedisScript AddScript = new("return redis.call('INCRBY', KEYS[1], ARGV[1]) + tonumber(ARGV[2])");
    private readonly string _prefix = TestServers.KeyPrefix();

    [Fact]
    public void The_SHA1_is_computed_locally_as_the_server_would()
    {
        var script = new RedisScript("return 1");

        Assert.Equal("e0e1f9fabfc9d4800c877a703b823ac0578ff8db", script.Sha1);
    }

    [Fact]
    public async Task Eval_runs_a_script_with_keys_and_arguments()
    {
        await using var redis = await TestClients.SharedAsync();

        var reply = await redis.EvalAsync(AddScript, [_prefix + "n"], [5, 100]);

        Assert.Equal(105, reply.AsInt64());
        Assert.Equal(5, (await redis.GetAsync(_prefix + "n")).ToInt64());
    }

    [Fact]
    public async Task Eval_uses_EVALSHA_for_a_loaded_script_and_falls_back_to_EVAL_after_SCRIPT_FLUSH()
    {
        await using var server = await TestServers.StartPrivateRedisAsync();
        await using var redis = TestClients.For(server);
        var marker = Guid.NewGuid().ToString();
        var script = new RedisScript($"return '{marker}'");

        Assert.Equal(script.Sha1, await redis.ScriptLoadAsync(script));
        await redis.EvalAsync(script);
        var afterLoad = await CommandCallsAsync(redis);
        await redis.ExecuteAsync("SCRIPT FLUSH");
        var reply = await redis.EvalAsync(script);
        var afterFlush = await CommandCallsAsync(redis);
        await redis.EvalAsync(script);
        var afterReload = await CommandCallsAsync(redis);

        Assert.Equal((1, 0), afterLoad);
        Assert.Equal((2, 1), afterFlush); // EVALSHA answered NOSCRIPT, then EVAL sent the text
        Assert.Equal((3, 1), afterReload); // EVAL cached it again
        Assert.Equal(marker, reply.AsString());
    }

    [Fact]
    public async Task A_script_error_is_a_server_exception()
    {
        await using var redis = await TestClients.SharedAsync();

        var error = await Assert.ThrowsAsync<RedisServerException>(
            () => redis.EvalAsync(new RedisScript("return redis.error_reply('BAD things')")).AsTask());

        Assert.Equal("BAD", error.ErrorCode);
    }

    /// <summary>(EVALSHA calls, EVAL calls) from INFO commandstats.</summary>
    private static async Task<(long EvalSha, long Eval)> CommandCallsAsync(RedisClient redis)
    {
        var info = (await redis.ExecuteAsync("INFO", "commandstats")).AsString()!;
        return (Calls(info, "evalsha"), Calls(info, "eval"));
    }

    private static long Calls(string info, string command)
    {
        var line = info.Split("\r\n").FirstOrDefault(l => l.StartsWith($"cmdstat_{command}:"));
        if (line is null)
            return 0;
        var calls = line.Split(':')[1].Split(',')[0];
        return long.Parse(calls["calls=".Length..]);
    }
}
