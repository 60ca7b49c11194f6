using System.Security.Cryptography;
using System.Text.Json;

namespace Suite.AppHost.Orchestration;

/// <summary>
/// The AppHost's state folder (<c>.suite/</c> of the repository by default): server data under
/// <c>data/</c>, generated secrets in <c>secrets.json</c>, the running suite's <c>endpoints.json</c>.
/// Files holding secrets are mode 600.
/// </summary>
internal sealed class SuiteState(string stateDir)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string StateDir { get; } = Path.GetFullPath(stateDir);

    public string DataDir => Path.Combine(StateDir, "data");

    public string SecretsPath => Path.Combine(StateDir, "secrets.json");

    public string EndpointsPath => Path.Combine(StateDir, "endpoints.json");

    private string LockPath => Path.Combine(StateDir, "apphost.lock");

    /// <summary>Where a server resource keeps its data; kept across runs.</summary>
    public string DataDirFor(string resourceName) => Path.Combine(DataDir, resourceName);

    /// <summary>
    /// Creates the folder and takes it for this AppHost: two AppHosts on one data folder would fight over
    /// PostgreSQL's cluster. The lock is released when the returned handle is disposed (or the process dies).
    /// </summary>
    public IDisposable Acquire()
    {
        Directory.CreateDirectory(StateDir);
        try
        {
            return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new InvalidOperationException(
                $"Another AppHost is running with the state folder {StateDir}. Stop it, or pass --state-dir.");
        }
    }

    /// <summary>Removes everything under <c>data/</c> (for <c>--fresh</c>).</summary>
    public void WipeData()
    {
        if (Directory.Exists(DataDir))
            Directory.Delete(DataDir, recursive: true);
    }

    /// <summary>Reads <c>secrets.json</c>, generating it (or any secret it lacks) on first use.</summary>
    public SuiteSecrets LoadOrCreateSecrets()
    {
        var stored = File.Exists(SecretsPath) ? JsonSerializer.Deserialize<StoredSecrets>(File.ReadAllText(SecretsPath), Json) : null;
        var secrets = new SuiteSecrets(
            stored?.RedisPassword ?? NewSecret(),
            stored?.PostgresPassword ?? NewSecret(),
            stored?.AdminKey ?? "sk-admin-" + NewSecret(),
            stored?.InternalToken ?? NewSecret());
        var complete = StoredSecrets.From(secrets);
        if (stored != complete)
            WriteSecretFile(SecretsPath, JsonSerializer.Serialize(complete, Json));
        return secrets;
    }

    /// <summary>Writes a file only its owner can read, atomically, so a reader never sees half of it.</summary>
    public static void WriteSecretFile(string path, string contents)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var writer = new StreamWriter(temporary, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
            writer.Write(contents);
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: true);
    }

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>The file's shape; every field is optional so that a secret added later is generated, not fatal.</summary>
    private sealed record StoredSecrets(string? RedisPassword, string? PostgresPassword, string? AdminKey, string? InternalToken)
    {
        public static StoredSecrets From(SuiteSecrets s) => new(s.RedisPassword, s.PostgresPassword, s.AdminKey, s.InternalToken);
    }
}
