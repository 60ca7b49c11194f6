using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Suite.ServiceDefaults.Tests;

public sealed class StartupValidationTests
{
    [Fact]
    public async Task Start_up_fails_naming_a_missing_required_setting_in_both_forms()
    {
        await using var app = TestApp.Build(new Dictionary<string, string?>(), b => b.AddValidatedOptions<SampleOptions>());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Missing required setting 'Sample:ConfigPath' (environment: Sample__ConfigPath)", error.Message);
    }

    [Fact]
    public async Task Start_up_fails_naming_an_invalid_setting()
    {
        await using var app = TestApp.Build(
            new Dictionary<string, string?> { ["Sample:ConfigPath"] = "/etc/suite.yaml", ["Sample:Port"] = "70000" },
            b => b.AddValidatedOptions<SampleOptions>());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Invalid setting 'Sample:Port' (environment: Sample__Port)", error.Message);
    }

    [Fact]
    public async Task Options_bind_from_the_section_named_after_the_class()
    {
        await using var app = TestApp.Build(
            new Dictionary<string, string?> { ["Sample:ConfigPath"] = "/etc/suite.yaml" },
            b => b.AddValidatedOptions<SampleOptions>());

        await app.StartAsync();

        Assert.Equal("/etc/suite.yaml", app.Services.GetRequiredService<IOptions<SampleOptions>>().Value.ConfigPath);
        await app.StopAsync();
    }

    [Fact]
    public async Task Start_up_fails_naming_a_missing_postgres_connection_string()
    {
        await using var app = TestApp.Build(new Dictionary<string, string?>(), b => b.AddNpgsqlDataSource("postgres"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Missing required setting 'ConnectionStrings:postgres' (environment: ConnectionStrings__postgres)", error.Message);
    }

    [Fact]
    public async Task Start_up_fails_naming_a_missing_redis_connection_string()
    {
        await using var app = TestApp.Build(new Dictionary<string, string?>(), b => b.AddRedisClient("redis"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("'ConnectionStrings:redis'", error.Message);
    }

    public sealed class SampleOptions
    {
        [Required]
        public string? ConfigPath { get; set; }

        [Range(1, 65535)]
        public int Port { get; set; } = 8080;
    }
}
