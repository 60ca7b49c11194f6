using System.Text.Json;

namespace Suite.AppHost.Orchestration;

/// <summary>
/// <c>endpoints.json</c> in the state folder: written once the whole suite is healthy, removed when it
/// stops, so that its presence means "up". Tools and tests read it instead of parsing the log.
/// </summary>
internal static class EndpointsFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Mode 600 (it holds the admin key and passwords), replaced atomically.</summary>
    public static void Write(string path, EndpointsDocument document) =>
        SuiteState.WriteSecretFile(path, JsonSerializer.Serialize(document, Json));

    public static EndpointsDocument? Read(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<EndpointsDocument>(File.ReadAllText(path), Json) : null;

    public static void Delete(string path) => File.Delete(path);
}
