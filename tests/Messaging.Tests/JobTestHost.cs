using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Suite.Redis;
using Suite.Testing;

namespace Suite.Messaging.Tests;

/// <summary>
/// A service hosting jobs as a real one does (<c>builder.AddJobs()</c>, <c>app.MapJobs()</c>), on Kestrel on a
/// free port, with its own database and the shared Redis. The caller is named by the X-Owner header.
/// </summary>
internal sealed class JobTestHost : IAsyncDisposable
{
    public const string OwnerHeader = "X-Owner";

    private readonly TestDatabase? _ownedDatabase;

    private JobTestHost(WebApplication app, string redis, string postgres, TestDatabase? ownedDatabase)
    {
        App = app;
        Redis = redis;
        Postgres = postgres;
        _ownedDatabase = ownedDatabase;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public Uri BaseAddress { get; }

    public string Redis { get; }

    public string Postgres { get; }

    public IJobQueue Queue => Services.GetRequiredService<IJobQueue>();

    public JobStore Store => Services.GetRequiredService<JobStore>();

    public RedisClient RedisClient => Services.GetRequiredService<RedisClient>();

    /// <summary>A host on a new database; <paramref name="register"/> adds handlers, <paramref name="settings"/> overrides configuration.</summary>
    public static async Task<JobTestHost> StartAsync(
        Action<WebApplicationBuilder>? register = null, IDictionary<string, string?>? settings = null, string? postgres = null, string? redis = null)
    {
        var database = postgres is null ? await TestDatabase.CreateAsync() : null;
        redis ??= (await TestServers.RedisAsync()).ConnectionString;
        postgres ??= database!.ConnectionString;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis,
            ["ConnectionStrings:postgres"] = postgres,
            ["Jobs:OwnerHeader"] = OwnerHeader,
            ["Jobs:CancelPollInterval"] = "00:00:00.250",
            ["Jobs:FollowerBlockTime"] = "00:00:01",
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        builder.AddJobs();
        register?.Invoke(builder);

        var app = builder.Build();
        app.MapJobs();
        await app.StartAsync();
        return new JobTestHost(app, redis, postgres, database);
    }

    /// <summary>Adds a handler whose consumer reacts quickly (short blocks and claim interval).</summary>
    public static Action<WebApplicationBuilder> Handler<THandler>(string kind, Action<BusConsumerOptions>? configure = null)
        where THandler : class, IJobHandler =>
        builder => builder.Services.AddJobHandler<THandler>(kind, options =>
        {
            options.BlockTime = TimeSpan.FromMilliseconds(200);
            options.ClaimInterval = TimeSpan.FromMilliseconds(200);
            options.DrainTimeout = TimeSpan.FromSeconds(2);
            configure?.Invoke(options);
        });

    /// <summary>A client calling as <paramref name="owner"/> (none: anonymous).</summary>
    public HttpClient Client(string? owner)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (owner is not null)
            client.DefaultRequestHeaders.Add(OwnerHeader, owner);
        return client;
    }

    /// <summary>A job kind no other test uses, so that only this test's workers take its messages.</summary>
    public static string UniqueKind(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 13)];

    /// <summary>The events of a job's stream, oldest first.</summary>
    public async Task<IReadOnlyList<JobEvent>> EventsAsync(string jobId) =>
        await Store.ReadEventsAsync(jobId, count: 100_000);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownedDatabase is not null)
            await _ownedDatabase.DisposeAsync();
    }
}
