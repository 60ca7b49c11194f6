namespace Suite.AppHost.Tests;

/// <summary>The repository this test run was built from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Suite.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("Suite.sln not found above the test's folder.");
    }
}
