namespace Suite.AppHost.Orchestration;

/// <summary>The lines printed once the suite is up: names and addresses, the admin key, where endpoints.json is.</summary>
internal static class SummaryTable
{
    public static IEnumerable<string> Render(IReadOnlyList<SummaryRow> rows, string adminKey, string endpointsPath)
    {
        var nameWidth = rows.Select(row => row.Name.Length).Append(4).Max();
        var addressWidth = rows.Select(row => row.Address.Length).Append(3).Max();

        yield return "";
        yield return $"  {"NAME".PadRight(nameWidth)}  URL";
        foreach (var row in rows)
            yield return $"  {row.Name.PadRight(nameWidth)}  {row.Address.PadRight(addressWidth)}  {row.Note}".TrimEnd();
        yield return "";
        yield return $"  admin key  {adminKey}";
        yield return $"  endpoints  {endpointsPath}";
        yield return "";
    }
}

