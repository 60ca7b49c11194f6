using System.Text.Json;

namespace Suite.Messaging;

/// <summary>How job data is written to streams and rows: compact JSON with web defaults (camelCase).</summary>
internal static class JobJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Compact JSON never holds a raw line break, so it fits one SSE <c>data:</c> line.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
