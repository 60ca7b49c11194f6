using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Suite.Redis;
using Suite.ServiceDefaults;

namespace Suite.Messaging;

/// <summary>Registers the job store, queue, workers and their settings.</summary>
public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Everything a service needs to host jobs, Aspire-style: the Redis client (<c>ConnectionStrings:redis</c>)
    /// and PostgreSQL data source (<c>ConnectionStrings:postgres</c>) unless registered already, the
    /// <c>jobs</c> schema's migrations, the message bus, and <see cref="AddJobs(IServiceCollection, Action{JobsOptions}?)"/>.
    /// </summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder, Action<JobsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Services.Any(d => d.ServiceType == typeof(RedisClient)))
            builder.AddRedisClient();
        builder.AddNpgsqlDataSource();
        builder.AddMigrations("jobs", typeof(JobStore).Assembly);
        builder.Services.AddJobs(configure);
        return builder;
    }

    /// <summary>
    /// Registers <see cref="JobStore"/>, <see cref="IJobQueue"/>, the default <see cref="IJobOwnerResolver"/>
    /// and the message bus, with <see cref="JobsOptions"/> bound from the <c>Jobs</c> section and then
    /// <paramref name="configure"/>. Needs a <see cref="RedisClient"/> and an <see cref="NpgsqlDataSource"/>
    /// whose database has the <c>jobs</c> schema (<c>builder.AddJobs()</c> does all of that).
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, Action<JobsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<JobsOptions>().BindConfiguration("Jobs");
        if (configure is not null)
            options.Configure(configure);
        options.PostConfigure(o => o.Validate()).ValidateOnStart();

        services.AddMessageBus();
        services.TryAddSingleton<JobTable>();
        services.TryAddSingleton<JobStreams>();
        services.TryAddSingleton(sp => new JobStore(sp.GetRequiredService<JobTable>(), sp.GetRequiredService<JobStreams>()));
        services.TryAddSingleton<IJobQueue, JobQueue>();
        services.TryAddSingleton<IJobOwnerResolver, DefaultJobOwnerResolver>();
        services.TryAddSingleton<JobCancellations>();
        services.TryAddSingleton<JobStreamFollower>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeadLetterObserver, JobDeadLetterObserver>());
        services.AddMetrics();
        services.TryAddSingleton<JobMetrics>();
        return services;
    }

    /// <summary>
    /// Runs jobs of <paramref name="kind"/> in this process with <typeparamref name="THandler"/>: a hosted bus
    /// consumer of topic <c>jobs:{kind}</c> in group <c>jobs</c>. <paramref name="configure"/> sets its concurrency, visibility timeout, drain timeout…
    /// Call <see cref="AddJobs(IServiceCollection, Action{JobsOptions}?)"/> too.
    /// </summary>
    public static IServiceCollection AddJobHandler<THandler>(
        this IServiceCollection services, string kind, Action<BusConsumerOptions>? configure = null)
        where THandler : class, IJobHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        services.TryAddScoped<THandler>();
        services.AddBusConsumer<JobMessage, JobWorker<THandler>>(JobMessage.Topic(kind), JobMessage.ConsumerGroup, configure);
        return services;
    }
}
