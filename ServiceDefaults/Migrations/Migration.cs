using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Suite.ServiceDefaults;

/// <summary>
/// One versioned SQL file, e.g. <c>Storage/Migrations/0002_add_budget.sql</c>: version 2, name
/// "add_budget". A file whose first line is <c>-- migrate:no-transaction</c> runs outside a
/// transaction (for statements such as <c>CREATE INDEX CONCURRENTLY</c>).
/// </summary>
public sealed partial record Migration(int Version, string Name, string FileName, string Sql)
{
    private const string NoTransactionMarker = "-- migrate:no-transaction";

    /// <summary>
    /// SHA-256 of the SQL with line endings normalised, so a checkout with CRLF endings does not
    /// look like an edited migration.
    /// </summary>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>Whether the file runs inside a transaction with its bookkeeping row.</summary>
    public bool Transactional => !Sql.TrimStart().StartsWith(NoTransactionMarker, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The migrations embedded in <paramref name="assembly"/>: resources under a <c>Migrations</c>
    /// folder named <c>NNNN_name.sql</c>, in version order. Two files with one version are an error.
    /// </summary>
    public static IReadOnlyList<Migration> FromAssembly(Assembly assembly)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var fileName = $"{match.Groups["version"].Value}_{match.Groups["name"].Value}.sql";
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["name"].Value, fileName, reader.ReadToEnd()));
        }

        return Ordered(migrations);
    }

    internal static IReadOnlyList<Migration> Ordered(IEnumerable<Migration> migrations)
    {
        var ordered = migrations.OrderBy(m => m.Version).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Version == ordered[i - 1].Version)
            {
                throw new MigrationException(
                    $"Migrations '{ordered[i - 1].FileName}' and '{ordered[i].FileName}' have the same version {ordered[i].Version}.");
            }
        }

        return ordered;
    }

    // Embedded resource names use dots for folders: Suite.Gateway.Storage.Migrations.0001_create_keys.sql
    [GeneratedRegex(@"(^|\.)Migrations\.(?<version>\d+)_(?<name>[A-Za-z0-9_\-]+)\.sql$")]
    private static partial Regex ResourceName();
}
