using Suite.AppHost.Resources;

namespace Suite.AppHost.Orchestration;

/// <summary>
/// The environment a service process gets: the keys an Aspire AppHost injects (connection strings,
/// service URLs, OpenTelemetry), the suite's secrets, and its own address.
/// </summary>
internal static class ServiceEnvironment
{
    public static Dictionary<string, string?> For(ProjectResource project, int port, SuiteBindings bindings)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var reference in project.References)
        {
            // A reference with no binding is a project not in the repository yet: the service starts without it.
            switch (reference)
            {
                case IResourceWithConnectionString server when bindings.ConnectionStrings.TryGetValue(server.Name, out var connectionString):
                    environment[server.ConnectionStringEnvironmentVariable] = connectionString;
                    break;
                case ProjectResource service when bindings.ServiceUrls.TryGetValue(service.Name, out var url):
                    environment[$"services__{service.Name}__http__0"] = url;
                    break;
            }
        }

        environment["OTEL_SERVICE_NAME"] = project.Name;
        if (!string.IsNullOrEmpty(bindings.OtlpEndpoint))
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = bindings.OtlpEndpoint;
        environment["Suite__AdminKey"] = bindings.Secrets.AdminKey;
        environment["Suite__InternalToken"] = bindings.Secrets.InternalToken;
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        environment["DOTNET_ENVIRONMENT"] = "Development";
        // One line per log entry reads well behind the AppHost's name prefix. The formatter must be named
        // for its options to apply.
        environment["Logging__Console__FormatterName"] = "simple";
        environment["Logging__Console__FormatterOptions__SingleLine"] = "true";

        foreach (var (key, value) in project.Environment)
            environment[key] = value;
        return environment;
    }
}
