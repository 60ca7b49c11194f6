using Microsoft.AspNetCore.Http;

namespace Suite.Messaging;

/// <summary>What the jobs endpoints need, bound with <c>[AsParameters]</c>.</summary>
public sealed record JobsApiServices(HttpContext HttpContext, JobStore Store, IJobOwnerResolver Owners);
