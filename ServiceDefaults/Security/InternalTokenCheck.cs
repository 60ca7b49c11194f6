using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Suite.ServiceDefaults;

/// <summary>Compares the caller's <c>X-Internal-Token</c> with the configured one and answers 401 otherwise.</summary>
internal static partial class InternalTokenCheck
{
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var services = context.RequestServices;
        var expected = services.GetRequiredService<IOptionsMonitor<InternalTokenOptions>>().CurrentValue.InternalToken;
        if (string.IsNullOrEmpty(expected))
        {
            LogNotConfigured(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InternalTokenCheck).FullName!), context.Request.Path);
        }
        else if (Matches(context.Request.Headers[InternalTokenOptions.HeaderName].ToString(), expected))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await services.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = $"This endpoint is internal; send a valid {InternalTokenOptions.HeaderName} header.",
            },
        });
    }

    /// <summary>
    /// Constant-time comparison. Both sides are hashed first so that neither the content nor the
    /// length of the expected token shows in the timing.
    /// </summary>
    public static bool Matches(string presented, string expected)
    {
        Span<byte> a = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b) && presented.Length > 0;
    }

    /// <summary>Endpoint metadata saying the endpoint requires the internal token.</summary>
    public sealed class RequiredMetadata;

    [LoggerMessage(LogLevel.Warning, "Refused a call to internal endpoint {Path}: Suite:InternalToken (environment Suite__InternalToken) is not configured")]
    private static partial void LogNotConfigured(ILogger logger, PathString path);
}
