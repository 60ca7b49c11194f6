using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Suite.Redis;

namespace Suite.Messaging;

/// <summary>
/// Keeps failures of the jobs endpoints in the OpenAI error shape: Redis or PostgreSQL out of reach is a
/// 503 the client may retry, anything else a 500. The exception is logged, never sent.
/// </summary>
internal sealed partial class JobsApiErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            var http = context.HttpContext;
            LogFailed(http.RequestServices.GetRequiredService<ILogger<JobsApiErrorFilter>>(), ex, http.Request.Method, http.Request.Path);
            if (ex is not (RedisException or NpgsqlException or TimeoutException))
                return ApiErrors.Unexpected();
            http.Response.Headers.RetryAfter = "1";
            return ApiErrors.Unavailable();
        }
    }

    [LoggerMessage(LogLevel.Error, "Jobs endpoint {Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, PathString path);
}
