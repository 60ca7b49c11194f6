using Suite.AppHost.Orchestration;

namespace Suite.AppHost.Tests;

public sealed class ConsoleLogTests
{
    [Fact]
    public void A_line_gets_its_process_name_padded_to_the_widest_name()
    {
        Assert.Equal("redis    | Ready to accept connections", ConsoleLog.Format("redis", "Ready to accept connections", 8));
    }

    [Fact]
    public void Colour_wraps_the_prefix_and_leaves_the_line_as_it_was()
    {
        var line = ConsoleLog.Format("redis", "hello", 5, "\u001b[36m");

        Assert.Equal("\u001b[36mredis |\u001b[0m hello", line);
    }

    [Fact]
    public void A_carriage_return_at_the_end_of_a_line_is_dropped()
    {
        Assert.Equal("pg | done", ConsoleLog.Format("pg", "done\r", 2));
    }

    [Fact]
    public void Lines_of_every_process_align_on_the_longest_registered_name()
    {
        var output = new StringWriter();
        var log = new ConsoleLog(output, useColor: false);
        log.Register(["redis", "postgres", "gateway-2"]);

        log.Write("redis", "one");
        log.Info("two");
        log.For("gateway-2")("three");

        Assert.Equal(
            ["redis     | one", "apphost   | two", "gateway-2 | three"],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Without_a_terminal_no_escape_codes_are_written()
    {
        var output = new StringWriter();
        new ConsoleLog(output, useColor: false).Write("redis", "plain");

        Assert.DoesNotContain('\u001b', output.ToString());
    }

    [Fact]
    public void With_a_terminal_each_name_keeps_one_colour()
    {
        var output = new StringWriter();
        var log = new ConsoleLog(output, useColor: true);

        log.Write("redis", "a");
        log.Write("postgres", "b");
        log.Write("redis", "c");

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines[0][..5], lines[2][..5]);
        Assert.NotEqual(lines[0][..5], lines[1][..5]);
    }
}
