using Suite.Testing;

namespace Suite.Redis.Tests;

public sealed class RawCommandTests
{
    private readonly string _prefix = TestServers.KeyPrefix();

    [Fact]
    public async Task ExecuteAsync_returns_integers_strings_and_arrays()
    {
        await using var redis = await TestClients.SharedAsync();

        var pushed = await redis.ExecuteAsync("RPUSH", _prefix + "l", "a", new byte[] { 1, 2 }, 3);
        var range = await redis.ExecuteAsync("LRANGE", [_prefix + "l", 0, -1], CancellationToken.None);
        var status = await redis.ExecuteAsync("SET", _prefix + "k", "v");

        Assert.Equal((RedisReplyKind.Integer, 3L), (pushed.Kind, pushed.AsInt64()));
        Assert.Equal(RedisReplyKind.Array, range.Kind);
        Assert.Equal(["a", "\u0001\u0002", "3"], range.Elements.Select(e => e.AsString()));
        Assert.Equal((RedisReplyKind.SimpleString, "OK"), (status.Kind, status.AsString()));
    }

    [Theory]
    [InlineData("SELECT")]
    [InlineData("MULTI")]
    [InlineData("subscribe")]
    [InlineData("CLIENT REPLY")]
    public async Task ExecuteAsync_refuses_commands_that_would_break_the_shared_connection(string command)
    {
        await using var redis = await TestClients.SharedAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => redis.ExecuteAsync(command, "1").AsTask());

        Assert.Contains(command.Split(' ')[0].ToUpperInvariant(), error.Message);
    }

    [Fact]
    public async Task An_unknown_command_is_a_server_error_and_the_connection_goes_on()
    {
        await using var redis = await TestClients.SharedAsync();

        var error = await Assert.ThrowsAsync<RedisServerException>(() => redis.ExecuteAsync("NOSUCHCOMMAND").AsTask());

        Assert.Equal("ERR", error.ErrorCode);
        Assert.Equal("PONG", (await redis.ExecuteAsync("PING")).AsString());
    }
}
