using System.Text.Json;
using System.Text.Json.Serialization;

namespace Suite.Messaging;

/// <summary>A job as <c>GET /v1/jobs/{id}</c> returns it; times are Unix seconds, as in the OpenAI API.</summary>
public sealed record JobResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("created_at")] long CreatedAt,
    [property: JsonPropertyName("started_at")] long? StartedAt,
    [property: JsonPropertyName("finished_at")] long? FinishedAt,
    [property: JsonPropertyName("attempt")] int Attempt,
    [property: JsonPropertyName("error")] JobError? Error,
    [property: JsonPropertyName("result")] JsonElement? Result,
    [property: JsonPropertyName("last_event_id")] string? LastEventId)
{
    [JsonPropertyName("object")]
    public string Object => "job";

    internal static JobResponse From(JobInfo job) => new(
        job.Id,
        job.Kind,
        job.Status.ToText(),
        job.Created.ToUnixTimeSeconds(),
        job.Started?.ToUnixTimeSeconds(),
        job.Finished?.ToUnixTimeSeconds(),
        job.Attempt,
        job.Error,
        job.ResultSummary,
        job.LastEventId);
}
