using Microsoft.AspNetCore.Builder;
using Npgsql;
using Suite.Testing;

namespace Suite.ServiceDefaults.Tests;

public sealed class MigrationTests
{
    private static readonly IReadOnlyList<Migration> Sample = Migration.FromAssembly(typeof(MigrationTests).Assembly);

    [Fact]
    public async Task Migrations_are_applied_in_version_order_and_recorded()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);

        var applied = await new MigrationRunner(dataSource, "sample", Sample).ApplyAsync();

        Assert.Equal(["0001_create_items.sql", "0002_seed_items.sql"], applied.Select(m => m.FileName));
        var recorded = await QueryAsync(dataSource, "SELECT version || ' ' || name || ' ' || checksum FROM sample.schema_migrations ORDER BY version");
        Assert.Equal([$"1 create_items {Sample[0].Checksum}", $"2 seed_items {Sample[1].Checksum}"], recorded);
        Assert.Equal(["first"], await QueryAsync(dataSource, "SELECT name FROM sample.items"));
    }

    [Fact]
    public async Task Running_migrations_again_changes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var runner = new MigrationRunner(dataSource, "sample", Sample);
        await runner.ApplyAsync();

        var again = await runner.ApplyAsync();

        Assert.Empty(again);
        Assert.Equal(["first"], await QueryAsync(dataSource, "SELECT name FROM sample.items"));
    }

    [Fact]
    public async Task Two_runners_started_together_apply_each_migration_once()
    {
        await using var db = await TestDatabase.CreateAsync();
        // Separate data sources, as two replicas would have.
        await using var first = NpgsqlDataSource.Create(db.ConnectionString);
        await using var second = NpgsqlDataSource.Create(db.ConnectionString);

        var results = await Task.WhenAll(
            new MigrationRunner(first, "sample", Sample).ApplyAsync(),
            new MigrationRunner(second, "sample", Sample).ApplyAsync());

        Assert.Equal(2, results.Sum(r => r.Count));
        Assert.Equal(["1", "2"], await QueryAsync(first, "SELECT version::text FROM sample.schema_migrations ORDER BY version"));
        Assert.Equal(["first"], await QueryAsync(first, "SELECT name FROM sample.items"));
    }

    [Fact]
    public async Task An_applied_migration_that_was_edited_is_rejected_naming_the_file()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        await new MigrationRunner(dataSource, "sample", Sample).ApplyAsync();
        Migration[] edited = [Sample[0] with { Sql = Sample[0].Sql + "\nALTER TABLE items ADD COLUMN price numeric;" }, Sample[1]];

        var error = await Assert.ThrowsAsync<MigrationException>(() => new MigrationRunner(dataSource, "sample", edited).ApplyAsync());

        Assert.Contains("'0001_create_items.sql'", error.Message);
    }

    [Fact]
    public async Task A_failing_migration_names_its_file_and_leaves_nothing_half_applied()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        Migration[] broken = [.. Sample, new Migration(3, "broken", "0003_broken.sql", "CREATE TABLE half (id int);\nSELECT no_such_column FROM items;")];

        var error = await Assert.ThrowsAsync<MigrationException>(() => new MigrationRunner(dataSource, "sample", broken).ApplyAsync());

        Assert.Contains("'0003_broken.sql'", error.Message);
        Assert.Equal(["1", "2"], await QueryAsync(dataSource, "SELECT version::text FROM sample.schema_migrations ORDER BY version"));
        Assert.Empty(await QueryAsync(dataSource, "SELECT table_name::text FROM information_schema.tables WHERE table_name = 'half'"));
    }

    [Fact]
    public async Task Migrations_are_applied_before_the_service_takes_its_first_request()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["ConnectionStrings:postgres"] = db.ConnectionString },
            b => b.AddMigrations("sample", typeof(MigrationTests).Assembly),
            a => a.MapGet("/items", CountItems));

        var count = await app.Client.GetStringAsync("/items");

        Assert.Equal("1", count);
    }

    private static async Task<long> CountItems(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM sample.items");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> QueryAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
