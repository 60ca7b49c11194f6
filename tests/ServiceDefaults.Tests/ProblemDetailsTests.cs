using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace Suite.ServiceDefaults.Tests;

public sealed class ProblemDetailsTests
{
    [Fact]
    public async Task An_unhandled_exception_is_a_500_problem_that_keeps_the_message_to_itself()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>(),
            map: a => a.MapGet("/boom", string () => throw new InvalidOperationException("Host=db;Password=hunter2")));

        var response = await app.Client.GetAsync("/boom");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain(nameof(InvalidOperationException), text);
        Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(text).RootElement.GetProperty("traceId").GetString()));
    }

    [Fact]
    public async Task A_body_that_does_not_parse_is_a_400_problem_naming_the_parameter()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>(),
            map: a => a.MapPost("/items", (Item item) => item));

        var response = await app.Client.PostAsync("/items", new StringContent("{\"count\":\"many\"}", System.Text.Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("item", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_path_is_a_404_problem()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>());

        var response = await app.Client.GetAsync("/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public sealed record Item(int Count);
}
