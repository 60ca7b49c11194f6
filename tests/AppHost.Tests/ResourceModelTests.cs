using Suite.AppHost.Hosting;
using Suite.AppHost.Resources;

namespace Suite.AppHost.Tests;

public sealed class ResourceModelTests
{
    private static DistributedApplicationBuilder NewBuilder() => DistributedApplication.CreateBuilder([]);

    [Fact]
    public void A_project_records_its_references_replicas_and_external_endpoint()
    {
        var builder = NewBuilder();
        var redis = builder.AddRedis("redis");
        var postgres = builder.AddPostgres("postgres");
        var inference = builder.AddProject("inference", "services/Inference/Suite.Inference.csproj");

        var gateway = builder.AddProject("gateway", "services/Gateway/Suite.Gateway.csproj")
            .WithReference(redis).WithReference(postgres).WithReference(inference)
            .WithReplicas(2).WithExternalHttpEndpoint().Resource;

        Assert.Equal(["redis", "postgres", "inference"], gateway.References.Select(r => r.Name));
        Assert.Equal(2, gateway.Replicas);
        Assert.True(gateway.IsExternal);
        Assert.Null(gateway.ExternalPort);
        Assert.Equal("Suite.Gateway", gateway.AssemblyName);
    }

    [Fact]
    public void Build_puts_each_resource_after_everything_it_references()
    {
        var builder = NewBuilder();
        var rag = builder.AddProject("rag", "services/Rag/Suite.Rag.csproj");
        var gateway = builder.AddProject("gateway", "services/Gateway/Suite.Gateway.csproj").WithReference(rag);
        var redis = builder.AddRedis("redis");
        rag.WithReference(redis);
        var inference = builder.AddProject("inference", "services/Inference/Suite.Inference.csproj");
        rag.WithReference(inference);
        gateway.WithReference(inference);

        var order = builder.Build().Resources.Select(r => r.Name).ToList();

        Assert.True(order.IndexOf("redis") < order.IndexOf("rag"));
        Assert.True(order.IndexOf("inference") < order.IndexOf("rag"));
        Assert.True(order.IndexOf("rag") < order.IndexOf("gateway"));
        Assert.Equal(4, order.Count);
    }

    [Fact]
    public void A_reference_cycle_is_refused_when_the_app_is_built()
    {
        var builder = NewBuilder();
        var a = builder.AddProject("a", "services/A/Suite.A.csproj");
        var b = builder.AddProject("b", "services/B/Suite.B.csproj").WithReference(a);
        a.WithReference(b);

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());
        Assert.Contains("cycle", error.Message);
    }

    [Fact]
    public void Two_resources_with_one_name_are_refused()
    {
        var builder = NewBuilder();
        builder.AddRedis("cache");

        Assert.Throws<ArgumentException>(() => builder.AddPostgres("cache"));
    }

    [Theory]
    [InlineData("Gateway")]
    [InlineData("my_service")]
    [InlineData("1st")]
    [InlineData("")]
    public void A_name_that_cannot_be_part_of_an_environment_key_is_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => NewBuilder().AddRedis(name));
    }

    [Fact]
    public void A_project_path_must_be_a_csproj_relative_to_the_root()
    {
        var builder = NewBuilder();

        Assert.Throws<ArgumentException>(() => builder.AddProject("gateway", "services/Gateway"));
        Assert.Throws<ArgumentException>(() => builder.AddProject("gateway", "/abs/Suite.Gateway.csproj"));
    }

    [Fact]
    public void Fewer_than_one_replica_is_refused()
    {
        var project = NewBuilder().AddProject("gateway", "services/Gateway/Suite.Gateway.csproj");

        Assert.Throws<ArgumentOutOfRangeException>(() => project.WithReplicas(0));
    }
}
