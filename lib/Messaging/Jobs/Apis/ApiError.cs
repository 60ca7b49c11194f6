using System.Text.Json.Serialization;

namespace Suite.Messaging;

/// <summary>The error inside <see cref="ApiErrorResponse"/>.</summary>
public sealed record ApiError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);
