using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Polly.CircuitBreaker;

namespace Suite.ServiceDefaults.Tests;

public sealed class ResilienceTests
{
    [Fact]
    public async Task A_503_is_retried_after_the_seconds_its_Retry_After_asks_for()
    {
        var upstream = new ScriptedHandler(
            _ => Respond(HttpStatusCode.ServiceUnavailable, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1))),
            _ => Respond(HttpStatusCode.OK));
        using var client = Client(upstream, o => o.RetryDelay = TimeSpan.FromMilliseconds(10));

        var response = await client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, upstream.Calls.Count);
        // The backoff alone would have waited about 10 ms.
        Assert.True(upstream.Calls[1] - upstream.Calls[0] >= TimeSpan.FromMilliseconds(950), $"retried after {upstream.Calls[1] - upstream.Calls[0]}");
    }

    [Fact]
    public async Task A_429_is_retried_at_the_date_its_Retry_After_names()
    {
        var upstream = new ScriptedHandler(
            _ => Respond(HttpStatusCode.TooManyRequests, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddSeconds(2))),
            _ => Respond(HttpStatusCode.OK));
        using var client = Client(upstream, o => o.RetryDelay = TimeSpan.FromMilliseconds(10));

        var response = await client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // HTTP dates have whole seconds, so "two seconds from now" is between one and two seconds away.
        Assert.True(upstream.Calls[1] - upstream.Calls[0] >= TimeSpan.FromMilliseconds(950), $"retried after {upstream.Calls[1] - upstream.Calls[0]}");
    }

    [Fact]
    public async Task A_Retry_After_longer_than_allowed_is_returned_to_the_caller_at_once()
    {
        var upstream = new ScriptedHandler(
            _ => Respond(HttpStatusCode.TooManyRequests, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromHours(1))));
        using var client = Client(upstream);

        var response = await client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Single(upstream.Calls);
    }

    [Fact]
    public async Task Transient_errors_and_connection_failures_are_retried_with_backoff()
    {
        var upstream = new ScriptedHandler(
            _ => throw new HttpRequestException("connection refused"),
            _ => Respond(HttpStatusCode.BadGateway),
            _ => Respond(HttpStatusCode.RequestTimeout),
            _ => Respond(HttpStatusCode.OK));
        using var client = Client(upstream, o => o.RetryDelay = TimeSpan.FromMilliseconds(10));

        var response = await client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, upstream.Calls.Count);
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        var upstream = new ScriptedHandler(_ => Respond(HttpStatusCode.BadRequest));
        using var client = Client(upstream);

        var response = await client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(upstream.Calls);
    }

    [Fact]
    public async Task An_attempt_that_hangs_is_cut_by_the_attempt_timeout_and_retried()
    {
        var upstream = new ScriptedHandler(
            async ct =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return Respond(HttpStatusCode.OK);
            },
            _ => Task.FromResult(Respond(HttpStatusCode.OK)));
        using var client = Client(upstream, o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(200);
            o.RetryDelay = TimeSpan.FromMilliseconds(10);
        });

        var response = await client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, upstream.Calls.Count);
    }

    [Fact]
    public async Task Repeated_failures_open_the_circuit_and_later_calls_fail_fast()
    {
        var upstream = new ScriptedHandler(_ => Respond(HttpStatusCode.InternalServerError));
        using var client = Client(upstream, o =>
        {
            o.MaxRetryAttempts = 0;
            o.CircuitBreakerMinimumThroughput = 2;
            o.CircuitBreakerFailureRatio = 0.5;
            o.CircuitBreakerBreakDuration = TimeSpan.FromMinutes(1);
        });

        Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync("/a")).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync("/b")).StatusCode);
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync("/c"));

        Assert.Equal(2, upstream.Calls.Count);
    }

    [Fact]
    public async Task A_client_can_take_the_resilience_handler_off()
    {
        var upstream = new ScriptedHandler(_ => Respond(HttpStatusCode.ServiceUnavailable));
        using var client = Client(upstream, configure: null, remove: true);

        var response = await client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(upstream.Calls);
    }

    private static HttpClient Client(ScriptedHandler upstream, Action<HttpResilienceOptions>? configure = null, bool remove = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddServiceDefaults();
        // A client name of its own per test keeps circuits apart.
        var name = $"upstream-{Guid.NewGuid():N}";
        var http = builder.Services.AddHttpClient(name, c => c.BaseAddress = new Uri("http://127.0.0.1:9/"))
            .ConfigurePrimaryHttpMessageHandler(() => upstream)
            .AddSuiteResilience(configure);
        if (remove)
        {
            http.RemoveSuiteResilience();
        }

        var services = builder.Build().Services;
        return services.GetRequiredService<IHttpClientFactory>().CreateClient(name);
    }

    private static HttpResponseMessage Respond(HttpStatusCode status, Action<HttpResponseMessage>? configure = null)
    {
        var response = new HttpResponseMessage(status);
        configure?.Invoke(response);
        return response;
    }

    /// <summary>The upstream: answers from a script, the last entry repeating, and records when each call came.</summary>
    private sealed class ScriptedHandler(params Func<CancellationToken, Task<HttpResponseMessage>>[] script) : HttpMessageHandler
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _next;

        public ScriptedHandler(params Func<CancellationToken, HttpResponseMessage>[] script)
            : this(script.Select(step => (Func<CancellationToken, Task<HttpResponseMessage>>)(ct => Task.FromResult(step(ct)))).ToArray())
        {
        }

        public List<TimeSpan> Calls { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Calls)
            {
                Calls.Add(_clock.Elapsed);
            }

            var step = script[Math.Min(Interlocked.Increment(ref _next) - 1, script.Length - 1)];
            return step(cancellationToken);
        }
    }
}
