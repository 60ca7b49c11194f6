using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Suite.Redis;
using Suite.ServiceDefaults;

namespace Suite.Messaging;

/// <summary>Registers the message bus and its hosted consumers. Needs a <see cref="RedisClient"/> in DI (<c>builder.AddRedisClient()</c>).</summary>
public static class MessageBusServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IMessageBus"/> and <see cref="IdempotencyGuard"/> (singletons), with
    /// <see cref="MessageBusOptions"/> bound from the <c>MessageBus</c> section and then <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddMessageBus(this IServiceCollection services, Action<MessageBusOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Bound by hand rather than BindConfiguration: hosts without IConfiguration (benchmarks, tests) still work.
        services.AddOptions<MessageBusOptions>().Configure<IServiceProvider>((options, sp) =>
            sp.GetService<IConfiguration>()?.GetSection("MessageBus").Bind(options));
        if (configure is not null)
            services.Configure(configure);
        services.TryAddSingleton<IMessageBus>(sp => new RedisMessageBus(
            sp.GetRequiredService<RedisClient>(), sp.GetRequiredService<IOptions<MessageBusOptions>>()));
        services.TryAddSingleton(sp => new IdempotencyGuard(
            sp.GetRequiredService<RedisClient>(), sp.GetRequiredService<IOptions<MessageBusOptions>>()));
        return services;
    }

    /// <summary>
    /// Adds a hosted consumer that reads <paramref name="topic"/> as a member of consumer group
    /// <paramref name="group"/> (created at start with MKSTREAM) and hands each message to a
    /// <typeparamref name="THandler"/> resolved from a new scope. Call it once per consumer wanted; each
    /// call adds one consumer with its own name. Also calls <see cref="AddMessageBus"/>.
    /// </summary>
    public static IServiceCollection AddBusConsumer<TMessage, THandler>(
        this IServiceCollection services, string topic, string group, Action<BusConsumerOptions>? configure = null)
        where THandler : class, IMessageHandler<TMessage>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        var options = new BusConsumerOptions();
        configure?.Invoke(options);
        options.Validate();

        services.AddMessageBus();
        services.TryAddScoped<THandler>();
        services.AddSingleton<IHostedService>(sp => new BusConsumer<TMessage>(
            sp.GetRequiredService<RedisClient>(),
            topic,
            group,
            options,
            sp.GetRequiredService<IOptions<MessageBusOptions>>().Value,
            ScopedHandler<TMessage, THandler>(sp.GetRequiredService<IServiceScopeFactory>()),
            sp.GetService<ILoggerFactory>()?.CreateLogger<BusConsumer<TMessage>>(),
            sp.GetService<DrainState>(),
            sp.GetServices<IDeadLetterObserver>()));
        return services;
    }

    private static Func<MessageContext<TMessage>, CancellationToken, Task> ScopedHandler<TMessage, THandler>(IServiceScopeFactory scopes)
        where THandler : class, IMessageHandler<TMessage> =>
        async (context, cancellationToken) =>
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<THandler>().HandleAsync(context, cancellationToken);
        };
}
