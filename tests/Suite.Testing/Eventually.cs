using System.Diagnostics;

namespace Suite.Testing;

/// <summary>Waits on a condition with a time-out, instead of sleeping for a guessed time.</summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test with <paramref name="because"/> after <paramref name="timeout"/>.</summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        var watch = Stopwatch.StartNew();
        Exception? last = null;
        while (watch.Elapsed < timeout)
        {
            try
            {
                if (await condition())
                    return;
                last = null;
            }
            catch (Exception ex)
            {
                // The thing waited on may throw until it is ready (a server still starting).
                last = ex;
            }
            await Task.Delay(PollInterval);
        }
        throw new TimeoutException(
            $"Timed out after {timeout.TotalSeconds:0.#} s waiting until {because}."
            + (last is null ? "" : $" Last error: {last.GetType().Name}: {last.Message}"));
    }

    public static Task Until(Func<bool> condition, TimeSpan timeout, string because) =>
        Until(() => Task.FromResult(condition()), timeout, because);
}
