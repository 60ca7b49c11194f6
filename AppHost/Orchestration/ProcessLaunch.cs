namespace Suite.AppHost.Orchestration;

/// <summary>What to run for one process: the program, its arguments, folder and environment.</summary>
internal sealed record ProcessLaunch(
    string Name,
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string?> Environment);
