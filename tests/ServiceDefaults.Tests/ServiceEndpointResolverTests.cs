using Microsoft.Extensions.Configuration;

namespace Suite.ServiceDefaults.Tests;

public sealed class ServiceEndpointResolverTests
{
    private static readonly ServiceEndpointResolver Resolver = new(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:inference:http:0"] = "http://127.0.0.1:5101",
            ["services:rag:http:0"] = "http://127.0.0.1:5102",
            ["services:rag:https:0"] = "https://127.0.0.1:5103",
            ["services:evals:http:0"] = "http://10.0.0.7:8080/evals/",
        })
        .Build());

    [Theory]
    [InlineData("http://inference/v1/embeddings?model=tiny", "http://127.0.0.1:5101/v1/embeddings?model=tiny")]
    [InlineData("https+http://rag/search", "https://127.0.0.1:5103/search")]
    [InlineData("https+http://inference/health", "http://127.0.0.1:5101/health")]
    [InlineData("http://evals/runs/7", "http://10.0.0.7:8080/evals/runs/7")]
    public void A_service_name_resolves_to_its_configured_address_keeping_path_and_query(string requested, string expected)
    {
        Assert.Equal(new Uri(expected), Resolver.Resolve(new Uri(requested)));
    }

    [Theory]
    [InlineData("http://localhost:5000/x")]
    [InlineData("https://api.openai.com/v1/chat/completions")]
    [InlineData("http://127.0.0.1:8080/x")]
    public void Hosts_that_are_not_service_names_are_left_alone(string requested)
    {
        Assert.Null(Resolver.Resolve(new Uri(requested)));
    }

    [Fact]
    public void The_base_address_of_a_service_can_be_asked_for_directly()
    {
        Assert.Equal(new Uri("http://127.0.0.1:5101/"), Resolver.Address("inference"));
    }
}
