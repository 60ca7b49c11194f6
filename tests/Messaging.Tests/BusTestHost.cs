using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Suite.Redis;
using Suite.ServiceDefaults;

namespace Suite.Messaging.Tests;

/// <summary>A host running one bus consumer whose handler is a delegate, and helpers to look at the stream.</summary>
internal static class BusTestHost
{
    public static async Task<IHost> StartConsumerAsync<T>(
        string connectionString, string topic, string group, Func<MessageContext<T>, CancellationToken, Task> handle,
        Action<BusConsumerOptions>? configure = null, DrainState? drain = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(_ => new RedisClient(RedisOptions.Parse(connectionString)));
        builder.Services.AddSingleton(new HandlerDelegate<T>(handle));
        if (drain is not null)
            builder.Services.AddSingleton(drain);
        services?.Invoke(builder.Services);
        builder.Services.AddBusConsumer<T, DelegateHandler<T>>(topic, group, options =>
        {
            // Short waits so that tests (and their shutdowns) are quick.
            options.BlockTime = TimeSpan.FromMilliseconds(200);
            options.RetryBackoff = new RetryBackoff { Base = TimeSpan.FromMilliseconds(10), Max = TimeSpan.FromMilliseconds(50) };
            options.DrainTimeout = TimeSpan.FromSeconds(5);
            configure?.Invoke(options);
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static RedisClient Client(string connectionString) => new(RedisOptions.Parse(connectionString));

    public static async Task<long> PendingAsync(RedisClient redis, string topic, string group) =>
        (await redis.XPendingAsync(topic, group)).Count;
}

internal sealed record HandlerDelegate<T>(Func<MessageContext<T>, CancellationToken, Task> Handle);

internal sealed class DelegateHandler<T>(HandlerDelegate<T> handler) : IMessageHandler<T>
{
    public Task HandleAsync(MessageContext<T> context, CancellationToken cancellationToken) => handler.Handle(context, cancellationToken);
}

/// <summary>A message the tests publish.</summary>
public sealed record BusOrder(int Number, string Item);
