using System.Diagnostics;
using Npgsql;
using Suite.Redis;

namespace Suite.AppHost.Orchestration;

/// <summary>
/// Health probes of what the AppHost runs (Redis PING, a PostgreSQL connection, GET /health), and a
/// loop that polls one until it passes.
/// </summary>
internal static class HealthWaiter
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(15);

    // No proxy: HTTP_PROXY in the environment must not capture calls to 127.0.0.1.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = ProbeTimeout };

    /// <summary>
    /// Polls <paramref name="probe"/> until it reports healthy; every 15 s tells <paramref name="report"/> what it
    /// still sees. Ends early, without throwing, when <paramref name="giveUp"/> completes.
    /// </summary>
    public static async Task<bool> WaitAsync(
        string name, Func<CancellationToken, Task<HealthStatus>> probe, Action<string> report, CancellationToken cancellationToken, Task? giveUp = null)
    {
        var watch = Stopwatch.StartNew();
        var nextReport = ReportEvery;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (giveUp?.IsCompleted == true)
                return false;
            var status = await ProbeAsync(probe, cancellationToken);
            if (status.IsHealthy)
                return true;
            if (watch.Elapsed >= nextReport)
            {
                report($"still waiting for {name} after {watch.Elapsed.TotalSeconds:0} s: {status.Description}");
                nextReport += ReportEvery;
            }
            var delay = Task.Delay(PollInterval, cancellationToken);
            await (giveUp is null ? delay : Task.WhenAny(delay, giveUp));
        }
    }

    /// <summary>One probe, bounded by the probe time-out; an exception counts as unhealthy.</summary>
    public static async Task<HealthStatus> ProbeAsync(Func<CancellationToken, Task<HealthStatus>> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            return await probe(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthStatus.Unhealthy($"no answer within {ProbeTimeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthStatus.Unhealthy(ex.GetBaseException().Message);
        }
    }

    /// <summary>GET <c>{baseUrl}/health</c> answers 200.</summary>
    public static async Task<HealthStatus> CheckHttpAsync(string baseUrl, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync($"{baseUrl.TrimEnd('/')}/health", cancellationToken);
        return response.IsSuccessStatusCode
            ? HealthStatus.Healthy
            : HealthStatus.Unhealthy($"GET /health answered {(int)response.StatusCode} {response.ReasonPhrase}");
    }

    /// <summary>PING answers, after AUTH when the connection string has a password (<c>host:port[,password=...]</c>).</summary>
    public static async Task<HealthStatus> CheckRedisAsync(string connectionString, CancellationToken cancellationToken)
    {
        var options = RedisOptions.Parse(connectionString);
        options.ConnectTimeout = options.CommandTimeout = ProbeTimeout;
        await using var client = new RedisClient(options);
        await client.PingAsync(cancellationToken);
        return HealthStatus.Healthy;
    }

    /// <summary>A connection opens and answers <c>SELECT 1</c>.</summary>
    public static async Task<HealthStatus> CheckPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        // No pooling: a probe must not leave an idle connection behind in the AppHost.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = (int)ProbeTimeout.TotalSeconds };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(cancellationToken);
        return HealthStatus.Healthy;
    }
}
