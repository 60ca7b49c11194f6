using Suite.AppHost.Servers;
using Suite.Testing;

namespace Suite.Redis.Tests;

/// <summary>Clients of the shared test server, or of a given server, with options adjusted per test.</summary>
internal static class TestClients
{
    public static async Task<RedisClient> SharedAsync(int protocol = 2, Action<RedisOptions>? configure = null) =>
        For(await TestServers.RedisAsync(), protocol, configure);

    public static RedisClient For(RedisServer server, int protocol = 2, Action<RedisOptions>? configure = null)
    {
        var options = RedisOptions.Parse(server.ConnectionString);
        options.Protocol = protocol;
        configure?.Invoke(options);
        return new RedisClient(options);
    }

    /// <summary>A Lua script that keeps the server busy (blocking every client) for about <paramref name="milliseconds"/>.</summary>
    public static RedisScript BusyScript(int milliseconds) => new($$"""
        local function now() local t = redis.call('TIME') return t[1] * 1000 + t[2] / 1000 end
        local stop = now() + {{milliseconds}}
        while now() < stop do end
        return 'slept'
        """);
}
