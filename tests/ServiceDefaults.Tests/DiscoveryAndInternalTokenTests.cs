using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Suite.ServiceDefaults.Tests;

public sealed class DiscoveryAndInternalTokenTests
{
    private const string Token = "internal-token-for-tests";

    [Fact]
    public async Task A_client_for_http_inference_reaches_the_configured_address_and_sends_the_token()
    {
        await using var inference = await InferenceAsync(Token);
        await using var gateway = await GatewayAsync(inference);

        var client = gateway.Services.GetRequiredService<IHttpClientFactory>().CreateClient("inference");
        var response = await client.GetAsync("/internal/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tiny-llm", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("model").GetString());
    }

    [Fact]
    public async Task An_unknown_service_name_fails_with_the_setting_to_add()
    {
        await using var gateway = await TestApp.StartAsync(new Dictionary<string, string?>(),
            b => b.Services.AddHttpClient("rag", c => c.BaseAddress = new Uri("http://rag")));
        var client = gateway.Services.GetRequiredService<IHttpClientFactory>().CreateClient("rag");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAsync("/search"));

        Assert.Contains("'services:rag:http:0'", error.Message);
        Assert.Contains("services__rag__http__0", error.Message);
    }

    [Fact]
    public async Task The_internal_token_is_not_sent_to_hosts_that_are_not_services()
    {
        await using var other = await TestApp.StartAsync(new Dictionary<string, string?>(),
            map: a => a.MapGet("/headers", (HttpRequest r) => new { token = r.Headers[InternalTokenOptions.HeaderName].ToString() }));
        await using var gateway = await TestApp.StartAsync(new Dictionary<string, string?> { ["Suite:InternalToken"] = Token });
        var client = gateway.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        var body = await client.GetFromJsonAsync<JsonElement>(new Uri(other.Client.BaseAddress!, "/headers"));

        Assert.Equal("", body.GetProperty("token").GetString());
    }

    [Fact]
    public async Task An_internal_endpoint_accepts_the_configured_token()
    {
        await using var inference = await InferenceAsync(Token);

        var response = await SendAsync(inference, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("internal-token-for-test")]
    [InlineData("internal-token-for-tests-and-more")]
    public async Task An_internal_endpoint_answers_401_problem_details_to_a_missing_or_wrong_token(string? token)
    {
        await using var inference = await InferenceAsync(Token);

        var response = await SendAsync(inference, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Contains(InternalTokenOptions.HeaderName, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_internal_endpoint_refuses_every_call_when_no_token_is_configured()
    {
        await using var inference = await InferenceAsync(token: null);

        var response = await SendAsync(inference, "anything");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Endpoints_outside_the_internal_group_need_no_token()
    {
        await using var inference = await InferenceAsync(Token);

        var response = await inference.Client.GetAsync("/public");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Task<TestApp> InferenceAsync(string? token) =>
        TestApp.StartAsync(
            new Dictionary<string, string?> { ["Suite:InternalToken"] = token },
            map: app =>
            {
                var internalApi = app.MapGroup("/internal").RequireInternalToken();
                internalApi.MapGet("/models", () => new { model = "tiny-llm" });
                app.MapGet("/public", () => "hello");
            });

    private static Task<TestApp> GatewayAsync(TestApp inference) =>
        TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["services:inference:http:0"] = inference.Client.BaseAddress!.ToString(),
                ["Suite:InternalToken"] = Token,
            },
            b => b.Services.AddHttpClient("inference", c => c.BaseAddress = new Uri("http://inference")));

    private static Task<HttpResponseMessage> SendAsync(TestApp app, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/internal/models");
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation(InternalTokenOptions.HeaderName, token);
        }

        return app.Client.SendAsync(request);
    }
}
