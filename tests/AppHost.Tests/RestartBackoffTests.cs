using Suite.AppHost.Orchestration;

namespace Suite.AppHost.Tests;

public sealed class RestartBackoffTests
{
    [Fact]
    public void Delays_double_from_one_second_and_stop_growing_at_thirty()
    {
        var backoff = RestartBackoff.Default();

        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalSeconds).ToList();

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], delays);
    }

    [Fact]
    public void A_process_that_stayed_healthy_long_enough_starts_again_at_one_second()
    {
        var backoff = RestartBackoff.Default();
        backoff.Next();
        backoff.Next();
        backoff.Next();

        backoff.ExitedAfterHealthyFor(TimeSpan.FromSeconds(45));

        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next());
    }

    [Fact]
    public void A_process_that_was_healthy_only_briefly_keeps_backing_off()
    {
        var backoff = RestartBackoff.Default();
        backoff.Next();
        backoff.Next();

        backoff.ExitedAfterHealthyFor(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(4), backoff.Next());

        backoff.ExitedAfterHealthyFor(null);
        Assert.Equal(TimeSpan.FromSeconds(8), backoff.Next());
    }

    [Fact]
    public void Thousands_of_failures_stay_at_the_cap()
    {
        var backoff = RestartBackoff.Default();

        var last = TimeSpan.Zero;
        for (var i = 0; i < 5000; i++)
            last = backoff.Next();

        Assert.Equal(TimeSpan.FromSeconds(30), last);
    }
}
