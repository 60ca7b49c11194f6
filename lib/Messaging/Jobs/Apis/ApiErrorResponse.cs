using System.Text.Json.Serialization;

namespace Suite.Messaging;

/// <summary>An OpenAI-style error body: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed record ApiErrorResponse([property: JsonPropertyName("error")] ApiError Error);
