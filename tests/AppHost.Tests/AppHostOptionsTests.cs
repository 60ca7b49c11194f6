using Suite.AppHost.Hosting;

namespace Suite.AppHost.Tests;

public sealed class AppHostOptionsTests
{
    private static AppHostOptions Parse(string[] args, string? stateDirVariable = null) =>
        AppHostOptions.Parse(args, name => name == "Suite__StateDir" ? stateDirVariable : null);

    [Fact]
    public void Every_option_is_read_from_the_command_line()
    {
        var options = Parse(["--root", "/repo", "--state-dir", "/tmp/s", "--fresh", "-c", "Release", "--shutdown-timeout", "2.5"]);

        Assert.Null(options.Error);
        Assert.Equal("/repo", options.Root);
        Assert.Equal("/tmp/s", options.StateDir);
        Assert.True(options.Fresh);
        Assert.Equal("Release", options.Configuration);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.ShutdownTimeout);
    }

    [Fact]
    public void Without_options_the_state_folder_is_left_to_the_repository_root_and_data_is_kept()
    {
        var options = Parse([]);

        Assert.Null(options.StateDir);
        Assert.False(options.Fresh);
#if DEBUG
        Assert.Equal("Debug", options.Configuration);
#else
        Assert.Equal("Release", options.Configuration);
#endif
    }

    [Fact]
    public void The_state_folder_comes_from_Suite__StateDir_unless_the_command_line_names_one()
    {
        Assert.Equal("/from/env", Parse([], "/from/env").StateDir);
        Assert.Equal("/from/args", Parse(["--state-dir", "/from/args"], "/from/env").StateDir);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--state-dir")]
    [InlineData("--shutdown-timeout", "soon")]
    public void A_bad_command_line_is_reported_not_guessed(params string[] args)
    {
        Assert.NotNull(Parse(args).Error);
    }

    [Fact]
    public void The_root_is_the_folder_with_Suite_sln_above_the_current_one()
    {
        var root = Parse([]).ResolveRoot();

        Assert.True(File.Exists(Path.Combine(root, "Suite.sln")));
    }

    [Fact]
    public void A_root_that_does_not_exist_is_refused()
    {
        Assert.Throws<DirectoryNotFoundException>(() => Parse(["--root", "/no/such/folder"]).ResolveRoot());
    }
}
