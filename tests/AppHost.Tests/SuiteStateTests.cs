using System.Text.Json;
using Suite.AppHost.Orchestration;
using Suite.Testing;

namespace Suite.AppHost.Tests;

public sealed class SuiteStateTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void Secrets_are_generated_once_and_the_same_on_the_next_run()
    {
        var dir = TempDir.Create("state");

        var first = new SuiteState(dir).LoadOrCreateSecrets();
        var second = new SuiteState(dir).LoadOrCreateSecrets();

        Assert.Equal(first, second);
        Assert.StartsWith("sk-admin-", first.AdminKey);
        Assert.Equal(4, new[] { first.RedisPassword, first.PostgresPassword, first.AdminKey, first.InternalToken }.Distinct().Count());
    }

    [Fact]
    public void The_secrets_file_is_readable_by_its_owner_only()
    {
        var state = new SuiteState(TempDir.Create("state"));

        state.LoadOrCreateSecrets();

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(state.SecretsPath));
    }

    [Fact]
    public void A_secret_missing_from_the_file_is_generated_and_the_others_are_kept()
    {
        var state = new SuiteState(TempDir.Create("state"));
        File.WriteAllText(state.SecretsPath, """{ "adminKey": "sk-admin-mine" }""");

        var secrets = state.LoadOrCreateSecrets();

        Assert.Equal("sk-admin-mine", secrets.AdminKey);
        Assert.False(string.IsNullOrEmpty(secrets.InternalToken));
        Assert.Equal(secrets, new SuiteState(state.StateDir).LoadOrCreateSecrets());
    }

    [Fact]
    public void Wiping_data_keeps_the_secrets()
    {
        var state = new SuiteState(TempDir.Create("state"));
        var secrets = state.LoadOrCreateSecrets();
        Directory.CreateDirectory(state.DataDirFor("redis"));
        File.WriteAllText(Path.Combine(state.DataDirFor("redis"), "appendonly.aof"), "x");

        state.WipeData();

        Assert.False(Directory.Exists(state.DataDir));
        Assert.Equal(secrets, state.LoadOrCreateSecrets());
    }

    [Fact]
    public void A_second_AppHost_on_the_same_state_folder_is_refused()
    {
        var dir = TempDir.Create("state");
        using var first = new SuiteState(dir).Acquire();

        var error = Assert.Throws<InvalidOperationException>(() => new SuiteState(dir).Acquire());
        Assert.Contains(dir, error.Message);
    }

    [Fact]
    public void The_endpoints_file_has_services_the_admin_key_and_connection_strings_apart_and_is_owner_only()
    {
        var path = Path.Combine(TempDir.Create("state"), "endpoints.json");
        var document = new EndpointsDocument(
            new Dictionary<string, string> { ["gateway"] = "http://127.0.0.1:5000" },
            "sk-admin-x",
            new Dictionary<string, string> { ["redis"] = "127.0.0.1:6379" });

        EndpointsFile.Write(path, document);

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("http://127.0.0.1:5000", json.RootElement.GetProperty("services").GetProperty("gateway").GetString());
        Assert.Equal("sk-admin-x", json.RootElement.GetProperty("adminKey").GetString());
        Assert.Equal("127.0.0.1:6379", json.RootElement.GetProperty("connectionStrings").GetProperty("redis").GetString());
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        Assert.Equal((byte)'{', File.ReadAllBytes(path)[0]);
        Assert.Equal(document.Services, EndpointsFile.Read(path)!.Services);
    }
}
