using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Suite.Messaging;

/// <summary>
/// The owner is the value of the trusted header <see cref="JobsOptions.OwnerHeader"/> when that is
/// configured and present, else the authenticated user's id (<c>sub</c> or name identifier claim, then
/// the identity's name). Anonymous callers have no owner.
/// </summary>
public sealed class DefaultJobOwnerResolver(IOptions<JobsOptions> options) : IJobOwnerResolver
{
    public ValueTask<string?> ResolveOwnerAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (options.Value.OwnerHeader is { Length: > 0 } header
            && context.Request.Headers[header].ToString() is { Length: > 0 } fromHeader)
            return ValueTask.FromResult<string?>(fromHeader);

        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
            return ValueTask.FromResult<string?>(null);
        var owner = user.FindFirstValue("sub") ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity.Name;
        return ValueTask.FromResult(string.IsNullOrEmpty(owner) ? null : owner);
    }
}
