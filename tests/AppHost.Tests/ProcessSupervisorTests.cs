using Suite.AppHost.Orchestration;
using Suite.AppHost.Servers;
using Suite.Testing;

namespace Suite.AppHost.Tests;

public sealed class ProcessSupervisorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    // Fast enough for a test, with the same doubling as the real schedule.
    private static RestartBackoff QuickBackoff() =>
        new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(30));

    private static ProcessLaunch Shell(string name, string script) =>
        new(name, "/bin/sh", ["-c", script], Path.GetTempPath(), new Dictionary<string, string?> { ["GREETING"] = "hello" });

    private static Task<HealthStatus> AlwaysHealthy(CancellationToken _) => Task.FromResult(HealthStatus.Healthy);

    private static Task<HealthStatus> NeverHealthy(CancellationToken _) => Task.FromResult(HealthStatus.Unhealthy("not yet"));

    [Fact]
    public async Task A_process_prints_under_its_name_with_the_environment_it_was_given()
    {
        var output = new LockedWriter();
        var supervisor = new ProcessSupervisor(Shell("worker", "echo $GREETING; exec sleep 30"), new ConsoleLog(output, false), AlwaysHealthy);

        supervisor.Start();
        await Eventually.Until(() => output.Text.Contains("worker  | hello"), Timeout, "the process's line appears with its prefix");
        await supervisor.StopAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_process_that_exits_is_restarted_with_growing_delays_and_the_log_says_so()
    {
        var output = new LockedWriter();
        var supervisor = new ProcessSupervisor(Shell("worker", "exit 3"), new ConsoleLog(output, false), NeverHealthy, QuickBackoff());

        supervisor.Start();
        await Eventually.Until(() => supervisor.Restarts >= 3, Timeout, "the crashing process has been restarted three times");
        await supervisor.StopAsync(TimeSpan.FromSeconds(5));

        Assert.Contains("worker exited with code 3; restarting in 50 ms (restart #1)", output.Text);
        Assert.Contains("worker exited with code 3; restarting in 100 ms (restart #2)", output.Text);
        Assert.Contains("worker exited with code 3; restarting in 200 ms (restart #3)", output.Text);
    }

    [Fact]
    public async Task A_killed_process_is_reported_with_exit_code_137_and_comes_back_healthy()
    {
        var output = new LockedWriter();
        var supervisor = new ProcessSupervisor(Shell("worker", "exec sleep 30"), new ConsoleLog(output, false), AlwaysHealthy, QuickBackoff());
        supervisor.Start();
        await supervisor.FirstHealthy.WaitAsync(Timeout);
        var first = supervisor.ProcessId!.Value;

        ServerProcess.Kill(first);

        await Eventually.Until(() => supervisor.ProcessId is { } pid && pid != first, Timeout, "a new process replaced the killed one");
        await Eventually.Until(() => output.Text.Contains("worker is healthy again (after restart #1)"), Timeout, "the restarted process is healthy");
        Assert.Contains("worker exited with code 137; restarting in", output.Text);
        await supervisor.StopAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Stop_sends_SIGTERM_and_the_process_ends_without_a_restart()
    {
        var output = new LockedWriter();
        var supervisor = new ProcessSupervisor(Shell("worker", "exec sleep 30"), new ConsoleLog(output, false), AlwaysHealthy, QuickBackoff());
        supervisor.Start();
        await supervisor.FirstHealthy.WaitAsync(Timeout);
        var pid = supervisor.ProcessId!.Value;

        await supervisor.StopAsync(TimeSpan.FromSeconds(5));

        Assert.False(ServerProcess.IsAlive(pid));
        Assert.Equal(0, supervisor.Restarts);
        Assert.Contains("worker stopped (exit code 143)", output.Text);
    }

    [Fact]
    public async Task A_process_that_ignores_SIGTERM_is_killed_after_the_grace_period()
    {
        var output = new LockedWriter();
        // Healthy only once the trap is in place: a SIGTERM before it would end the shell normally.
        var supervisor = new ProcessSupervisor(
            Shell("stubborn", "trap '' TERM; echo trapped; exec sleep 30"),
            new ConsoleLog(output, false),
            _ => Task.FromResult(output.Text.Contains("trapped") ? HealthStatus.Healthy : HealthStatus.Unhealthy("no trap yet")));
        supervisor.Start();
        await supervisor.FirstHealthy.WaitAsync(Timeout);
        var pid = supervisor.ProcessId!.Value;

        await supervisor.StopAsync(TimeSpan.FromMilliseconds(300));

        Assert.False(ServerProcess.IsAlive(pid));
        Assert.Contains("stubborn did not stop within 300 ms of SIGTERM; killed it", output.Text);
    }

    /// <summary>A StringWriter that the supervisor's threads and the test can share.</summary>
    private sealed class LockedWriter : StringWriter
    {
        private readonly Lock _gate = new();

        public string Text
        {
            get
            {
                lock (_gate)
                    return ToString();
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_gate)
                base.WriteLine(value);
        }
    }
}
