using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Suite.ServiceDefaults;

/// <summary>
/// Builds and keeps one resilience pipeline per client name and target authority. Keeping them
/// here rather than in the handler lets circuit state survive the factory's handler rotation,
/// and keying by authority keeps one failing host from opening the circuit for every other host
/// reached through the same client.
/// </summary>
internal sealed partial class ResiliencePipelines(IOptionsMonitor<HttpResilienceOptions> options, TimeProvider time, ILogger<ResiliencePipelines> logger)
{
    private readonly ConcurrentDictionary<(string Client, string Authority), ResiliencePipeline<HttpResponseMessage>> _pipelines = new();

    public ResiliencePipeline<HttpResponseMessage> Get(string client, Uri? uri)
    {
        var authority = uri is { IsAbsoluteUri: true } ? uri.Authority : "";
        return _pipelines.GetOrAdd((client, authority), key => Build(key.Client, key.Authority));
    }

    private ResiliencePipeline<HttpResponseMessage> Build(string client, string authority)
    {
        var settings = options.Get(client);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            Name = $"{client}/{authority}",
            TimeProvider = time,
        };

        // Outermost to innermost: the total timeout bounds everything, retries wrap the circuit
        // breaker so each attempt is counted, and the attempt timeout bounds a single try.
        builder.AddTimeout(new TimeoutStrategyOptions { Name = "total", Timeout = settings.TotalTimeout });
        if (settings.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = settings.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = settings.UseJitter,
                Delay = settings.RetryDelay,
                MaxDelay = settings.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, settings)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    LogRetry(logger, client, authority, args.AttemptNumber + 1, args.RetryDelay, Describe(args.Outcome));
                    return default;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = settings.CircuitBreakerFailureRatio,
            MinimumThroughput = settings.CircuitBreakerMinimumThroughput,
            SamplingDuration = settings.CircuitBreakerSamplingDuration,
            BreakDuration = settings.CircuitBreakerBreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            OnOpened = args =>
            {
                LogCircuitOpened(logger, client, authority, args.BreakDuration, Describe(args.Outcome));
                return default;
            },
        });
        builder.AddTimeout(new TimeoutStrategyOptions { Name = "attempt", Timeout = settings.AttemptTimeout });
        return builder.Build();
    }

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpResilienceOptions settings) =>
        IsTransient(outcome) && !(RetryAfter(outcome.Result) > settings.MaxRetryAfter);

    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsTransient(response.StatusCode),
        _ => false,
    };

    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>The wait a 429 or 503 asks for, in either of Retry-After's forms (seconds or a date).</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response?.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            || response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } ex ? ex.GetType().Name : $"{(int)outcome.Result!.StatusCode} {outcome.Result.StatusCode}";

    [LoggerMessage(LogLevel.Warning, "HttpClient {Client}: retrying {Authority} (attempt {Attempt}) in {Delay} after {Outcome}")]
    private static partial void LogRetry(ILogger logger, string client, string authority, int attempt, TimeSpan delay, string outcome);

    [LoggerMessage(LogLevel.Warning, "HttpClient {Client}: circuit to {Authority} opened for {BreakDuration} after {Outcome}")]
    private static partial void LogCircuitOpened(ILogger logger, string client, string authority, TimeSpan breakDuration, string outcome);
}
