using System.Text.Json.Serialization;

namespace Suite.Messaging;

/// <summary>A page of the caller's jobs, newest first; the next page is <c>?after={LastId}</c> while <see cref="HasMore"/>.</summary>
public sealed record JobListResponse(
    [property: JsonPropertyName("data")] IReadOnlyList<JobResponse> Data,
    [property: JsonPropertyName("first_id")] string? FirstId,
    [property: JsonPropertyName("last_id")] string? LastId,
    [property: JsonPropertyName("has_more")] bool HasMore)
{
    [JsonPropertyName("object")]
    public string Object => "list";
}
