namespace Suite.AppHost.Orchestration;

/// <summary>One resource in the summary; <see cref="Address"/> never carries a password.</summary>
internal sealed record SummaryRow(string Name, string Address, string Note = "");
