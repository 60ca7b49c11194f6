using System.Collections.Concurrent;
using Suite.Testing;

namespace Suite.Redis.Tests;

public sealed class PubSubTests
{
    private readonly string _prefix = TestServers.KeyPrefix();

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Published_messages_reach_the_subscriber_in_order(int protocol)
    {
        await using var redis = await TestClients.SharedAsync(protocol);
        var received = new ConcurrentQueue<RedisMessage>();
        await using var subscription = await redis.SubscribeAsync(_prefix + "news", received.Enqueue);

        for (var i = 0; i < 100; i++)
            Assert.Equal(1, await redis.PublishAsync(_prefix + "news", i));
        await redis.PublishAsync(_prefix + "other", "not for us");

        await Eventually.Until(() => received.Count == 100, TimeSpan.FromSeconds(5), "all 100 messages arrived");
        Assert.Equal(Enumerable.Range(0, 100), received.Select(m => (int)m.Payload.ToInt64()));
        Assert.All(received, m => Assert.Equal(_prefix + "news", m.Channel));
    }

    [Fact]
    public async Task Pattern_subscriptions_receive_every_matching_channel_with_binary_payloads()
    {
        await using var redis = await TestClients.SharedAsync();
        var received = new ConcurrentQueue<RedisMessage>();
        await using var subscription = await redis.PatternSubscribeAsync(_prefix + "jobs.*", async message =>
        {
            await Task.Yield();
            received.Enqueue(message);
        });
        byte[] payload = [0, 13, 10, 255];

        await redis.PublishAsync(_prefix + "jobs.a", payload);
        await redis.PublishAsync(_prefix + "jobs.b", payload);
        await redis.PublishAsync(_prefix + "other", payload);

        await Eventually.Until(() => received.Count == 2, TimeSpan.FromSeconds(5), "both matching messages arrived");
        Assert.Equal([_prefix + "jobs.a", _prefix + "jobs.b"], received.Select(m => m.Channel));
        Assert.All(received, m => Assert.Equal(_prefix + "jobs.*", m.Pattern));
        Assert.All(received, m => Assert.Equal(payload, m.Payload.ToArray()));
    }

    [Fact]
    public async Task Disposing_the_last_subscription_of_a_channel_unsubscribes_it()
    {
        await using var redis = await TestClients.SharedAsync();
        var first = await redis.SubscribeAsync(_prefix + "c", _ => { });
        var second = await redis.SubscribeAsync(_prefix + "c", _ => { });

        await first.DisposeAsync();
        Assert.Equal(1, await redis.PublishAsync(_prefix + "c", "still one"));
        await second.DisposeAsync();

        Assert.Equal(0, await redis.PublishAsync(_prefix + "c", "nobody"));
    }

    [Fact]
    public async Task A_handler_that_throws_does_not_stop_later_messages()
    {
        await using var redis = await TestClients.SharedAsync();
        var received = new ConcurrentQueue<string>();
        await using var subscription = await redis.SubscribeAsync(_prefix + "c", message =>
        {
            if (message.Payload.ToString() == "bad")
                throw new InvalidOperationException("handler failed");
            received.Enqueue(message.Payload.ToString());
        });

        await redis.PublishAsync(_prefix + "c", "bad");
        await redis.PublishAsync(_prefix + "c", "good");

        await Eventually.Until(() => received.Contains("good"), TimeSpan.FromSeconds(5), "the message after the failure arrived");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Subscriptions_are_restored_after_the_server_restarts(int protocol)
    {
        await using var server = await TestServers.StartPrivateRedisAsync(appendOnly: false);
        await using var redis = TestClients.For(server, protocol);
        var received = new ConcurrentQueue<string>();
        await using var subscription = await redis.SubscribeAsync("events", m => received.Enqueue(m.Payload.ToString()));
        await using var patterned = await redis.PatternSubscribeAsync("ev*", m => received.Enqueue("pattern:" + m.Payload));

        await server.KillAsync();
        await server.StartAgainAsync();

        await Eventually.Until(
            async () => await redis.PublishAsync("events", "after restart") == 2,
            TimeSpan.FromSeconds(10), "the channel and the pattern are subscribed again");
        await Eventually.Until(
            () => received.Contains("after restart") && received.Contains("pattern:after restart"),
            TimeSpan.FromSeconds(5), "the message published after the restart arrived");
    }
}
