using Suite.AppHost.Orchestration;

namespace Suite.AppHost.Tests;

public sealed class SummaryTableTests
{
    [Fact]
    public void The_summary_aligns_names_and_addresses_and_ends_with_the_admin_key_and_the_endpoints_file()
    {
        var lines = SummaryTable.Render(
            [
                new SummaryRow("gateway", "http://127.0.0.1:5000", "external"),
                new SummaryRow("postgres", "postgres://127.0.0.1:5432/postgres"),
            ],
            "sk-admin-x",
            "/repo/.suite/endpoints.json").ToList();

        Assert.Equal(
            [
                "",
                "  NAME      URL",
                "  gateway   http://127.0.0.1:5000               external",
                "  postgres  postgres://127.0.0.1:5432/postgres",
                "",
                "  admin key  sk-admin-x",
                "  endpoints  /repo/.suite/endpoints.json",
                "",
            ],
            lines);
    }
}
