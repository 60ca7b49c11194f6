using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Suite.Messaging;

/// <summary>
/// The jobs API under <c>/v1/jobs</c>: a caller's jobs, one job's status, cancel, and its events as
/// Server-Sent Events that resume after <c>Last-Event-ID</c>. Everything is served from the status rows
/// and the Redis streams, never from a worker, so any replica of any service can host it.
/// </summary>
public static class JobsApi
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;

    public static RouteGroupBuilder MapJobs(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/v1/jobs").WithTags("Jobs").AddEndpointFilter<JobsApiErrorFilter>();
        api.MapGet("", ListJobs).WithName(nameof(ListJobs));
        api.MapGet("/{id}", GetJob).WithName(nameof(GetJob));
        api.MapPost("/{id}/cancel", CancelJob).WithName(nameof(CancelJob));
        api.MapGet("/{id}/events", GetJobEvents).WithName(nameof(GetJobEvents)).Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return api;
    }

    /// <summary>The caller's jobs, newest first, <paramref name="limit"/> (1–100, default 20) at a time after the job id <paramref name="after"/>.</summary>
    public static async Task<Results<Ok<JobListResponse>, JsonHttpResult<ApiErrorResponse>>> ListJobs(
        [AsParameters] JobsApiServices services, string? limit, string? after)
    {
        if (await services.Owners.ResolveOwnerAsync(services.HttpContext) is not { } owner)
            return ApiErrors.Unauthorized();
        var count = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxLimit))
            return ApiErrors.Invalid("limit", $"limit must be a whole number from 1 to {MaxLimit}; got '{limit}'.");
        if (after is not null && !JobId.IsValid(after))
            return ApiErrors.Invalid("after", $"after must be a job id; got '{after}'.");

        // One more than asked tells whether there is a next page.
        var jobs = await services.Store.ListAsync(owner, after, count + 1, services.HttpContext.RequestAborted);
        var page = jobs.Take(count).Select(JobResponse.From).ToList();
        return TypedResults.Ok(new JobListResponse(page, page.FirstOrDefault()?.Id, page.LastOrDefault()?.Id, jobs.Count > count));
    }

    /// <summary>One of the caller's jobs.</summary>
    public static async Task<Results<Ok<JobResponse>, JsonHttpResult<ApiErrorResponse>>> GetJob([AsParameters] JobsApiServices services, string id)
    {
        var (job, error) = await OwnedJobAsync(services, id);
        return job is null ? error! : TypedResults.Ok(JobResponse.From(job));
    }

    /// <summary>
    /// Cancels one of the caller's jobs: it ends as <c>cancelled</c> at once and its worker's cancellation
    /// token fires. Cancelling a cancelled job is a no-op; one that has finished otherwise answers 409.
    /// </summary>
    public static async Task<Results<Ok<JobResponse>, JsonHttpResult<ApiErrorResponse>>> CancelJob([AsParameters] JobsApiServices services, string id)
    {
        var (job, error) = await OwnedJobAsync(services, id);
        if (job is null)
            return error!;
        if (job.IsTerminal && job.Status != JobStatus.Cancelled)
            return ApiErrors.Conflict($"Job '{id}' has already finished ({job.Status.ToText()}) and cannot be cancelled.", "job_finished");
        var cancelled = await services.Store.CancelAsync(id, CancellationToken.None) ?? job;
        return TypedResults.Ok(JobResponse.From(cancelled));
    }

    /// <summary>
    /// The job's events as Server-Sent Events, strictly after <c>Last-Event-ID</c> (or <paramref name="after"/>),
    /// from the start without either. 410 when that point is older than the history kept.
    /// </summary>
    public static async Task<Results<JobEventsResult, JsonHttpResult<ApiErrorResponse>>> GetJobEvents(
        [AsParameters] JobsApiServices services, string id, string? after, [FromHeader(Name = "Last-Event-ID")] string? lastEventId)
    {
        var (job, error) = await OwnedJobAsync(services, id);
        if (job is null)
            return error!;
        var (resume, param) = lastEventId is { Length: > 0 } ? (lastEventId.Trim(), "Last-Event-ID") : (after, "after");
        if (resume is not null && !StreamIds.IsValid(resume))
            return ApiErrors.Invalid(param, $"{param} must be an event id of this job (like 1700000000000-0); got '{resume}'.");

        var history = await services.Store.Streams.HistoryAsync(id, services.HttpContext.RequestAborted);
        if (history is null)
        {
            // A job that has ended and has no stream: its history expired (the status row stays).
            return job.IsTerminal
                ? ApiErrors.Gone(param, $"The events of job '{id}' have expired; they are kept for a while after the job ends. GET /v1/jobs/{id} still gives its status and result.", "events_expired")
                : new JobEventsResult(id, resume, endedAtConnect: false, trimmedBefore: null);
        }
        if (resume is not null)
        {
            if (StreamIds.Compare(resume, history.LastId) > 0)
                return ApiErrors.Invalid(param, $"{param} '{resume}' is not an event of job '{id}': it is past the job's last event.");
            if (history.HasGapAfter(resume))
                return ApiErrors.Gone(param,
                    $"The events after '{resume}' are no longer kept: job '{id}' keeps only its most recent events, from '{history.FirstId}' on. "
                    + "Reconnect without Last-Event-ID to replay what is kept, or GET /v1/jobs/{id} for the status and result.",
                    "events_trimmed");
        }
        var trimmedBefore = resume is null && history.MissingThrough is not null ? history.FirstId ?? history.LastId : null;
        return new JobEventsResult(id, resume, job.IsTerminal, trimmedBefore);
    }

    private static async Task<(JobInfo? Job, JsonHttpResult<ApiErrorResponse>? Error)> OwnedJobAsync(JobsApiServices services, string id)
    {
        if (await services.Owners.ResolveOwnerAsync(services.HttpContext) is not { } owner)
            return (null, ApiErrors.Unauthorized());
        var job = await services.Store.GetAsync(id, services.HttpContext.RequestAborted);
        // Another owner's job is answered exactly like a missing one: its existence is not told.
        return job is null || job.Owner != owner ? (null, ApiErrors.JobNotFound(id)) : (job, null);
    }
}
