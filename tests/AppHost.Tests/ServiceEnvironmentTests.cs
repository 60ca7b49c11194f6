using Suite.AppHost.Hosting;
using Suite.AppHost.Orchestration;
using Suite.AppHost.Resources;

namespace Suite.AppHost.Tests;

public sealed class ServiceEnvironmentTests
{
    private static readonly SuiteSecrets Secrets = new("redis-pw", "pg-pw", "sk-admin-x", "internal-token");

    private static SuiteBindings Bindings(string? otlp = null) => new(
        new Dictionary<string, string>
        {
            ["redis"] = "127.0.0.1:6400,password=redis-pw",
            ["postgres"] = "Host=127.0.0.1;Port=5500;Username=postgres;Database=postgres;Password=pg-pw",
        },
        new Dictionary<string, string> { ["inference"] = "http://127.0.0.1:7001" },
        Secrets,
        otlp);

    private static (IResourceBuilder<ProjectResource> Gateway, IResourceBuilder<RedisResource> Redis,
        IResourceBuilder<PostgresResource> Postgres, IResourceBuilder<ProjectResource> Inference) Suite()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        var redis = builder.AddRedis("redis");
        var postgres = builder.AddPostgres("postgres");
        var inference = builder.AddProject("inference", "services/Inference/Suite.Inference.csproj");
        var gateway = builder.AddProject("gateway", "services/Gateway/Suite.Gateway.csproj");
        return (gateway, redis, postgres, inference);
    }

    [Fact]
    public void A_service_gets_the_connection_strings_of_the_servers_it_references()
    {
        var (gateway, redis, postgres, _) = Suite();
        gateway.WithReference(redis).WithReference(postgres);

        var environment = ServiceEnvironment.For(gateway.Resource, 7000, Bindings());

        Assert.Equal("127.0.0.1:6400,password=redis-pw", environment["ConnectionStrings__redis"]);
        Assert.Equal("Host=127.0.0.1;Port=5500;Username=postgres;Database=postgres;Password=pg-pw", environment["ConnectionStrings__postgres"]);
    }

    [Fact]
    public void A_service_gets_no_connection_string_of_a_server_it_does_not_reference()
    {
        var (gateway, redis, _, _) = Suite();
        gateway.WithReference(redis);

        var environment = ServiceEnvironment.For(gateway.Resource, 7000, Bindings());

        Assert.False(environment.ContainsKey("ConnectionStrings__postgres"));
    }

    [Fact]
    public void A_service_gets_the_url_of_each_service_it_references_under_the_Aspire_key()
    {
        var (gateway, _, _, inference) = Suite();
        gateway.WithReference(inference);

        var environment = ServiceEnvironment.For(gateway.Resource, 7000, Bindings());

        Assert.Equal("http://127.0.0.1:7001", environment["services__inference__http__0"]);
    }

    [Fact]
    public void A_reference_to_a_project_that_does_not_run_is_left_out()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        var evals = builder.AddProject("evals", "services/Evals/Suite.Evals.csproj");
        var gateway = builder.AddProject("gateway", "services/Gateway/Suite.Gateway.csproj").WithReference(evals);

        var environment = ServiceEnvironment.For(gateway.Resource, 7000, Bindings());

        Assert.DoesNotContain(environment.Keys, key => key.StartsWith("services__evals"));
    }

    [Fact]
    public void Every_service_gets_the_secrets_its_name_its_own_address_and_the_development_environment()
    {
        var (gateway, _, _, _) = Suite();

        var environment = ServiceEnvironment.For(gateway.Resource, 7123, Bindings());

        Assert.Equal("sk-admin-x", environment["Suite__AdminKey"]);
        Assert.Equal("internal-token", environment["Suite__InternalToken"]);
        Assert.Equal("gateway", environment["OTEL_SERVICE_NAME"]);
        Assert.Equal("http://127.0.0.1:7123", environment["ASPNETCORE_URLS"]);
        Assert.Equal("Development", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("Development", environment["DOTNET_ENVIRONMENT"]);
    }

    [Fact]
    public void The_OTLP_endpoint_is_passed_on_only_when_one_is_set()
    {
        var (gateway, _, _, _) = Suite();

        Assert.False(ServiceEnvironment.For(gateway.Resource, 7000, Bindings()).ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Equal("http://collector:4317",
            ServiceEnvironment.For(gateway.Resource, 7000, Bindings("http://collector:4317"))["OTEL_EXPORTER_OTLP_ENDPOINT"]);
    }

    [Fact]
    public void Environment_set_on_the_project_wins_over_the_suite_defaults()
    {
        var (gateway, _, _, _) = Suite();
        gateway.WithEnvironment("ASPNETCORE_ENVIRONMENT", "Staging").WithEnvironment("Gateway__Mode", "strict");

        var environment = ServiceEnvironment.For(gateway.Resource, 7000, Bindings());

        Assert.Equal("Staging", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("strict", environment["Gateway__Mode"]);
    }
}
