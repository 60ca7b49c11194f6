using Microsoft.Extensions.Options;
using Suite.Redis;

namespace Suite.Messaging;

/// <summary>
/// Keeps a handler's side effect from running twice when a message is delivered twice. One Redis key per
/// group and message id (<c>&lt;prefix&gt;&lt;group&gt;:&lt;messageId&gt;</c>) holds "running" while a handler works
/// and "done" after it, each with an expiry (SET NX PX, so two consumers cannot both begin).
/// <para>
/// Use <see cref="RunOnceAsync"/>, or by hand: <see cref="TryBeginAsync"/>; false means done before, so skip
/// and return; true means do the work, then <see cref="MarkDoneAsync"/>, or <see cref="ReleaseAsync"/> when the
/// work failed so that the retry can begin again. A consumer that dies between its side effect and
/// <see cref="MarkDoneAsync"/> leaves "running", which expires after the begin ttl; the message is then redone.
/// </para>
/// </summary>
public sealed class IdempotencyGuard
{
    private const string Running = "running";
    private const string Done = "done";

    private readonly RedisClient _redis;
    private readonly string _prefix;

    public IdempotencyGuard(RedisClient redis, IOptions<MessageBusOptions> options)
        : this(redis, options.Value.IdempotencyKeyPrefix)
    {
    }

    public IdempotencyGuard(RedisClient redis, string keyPrefix = "idem:")
    {
        ArgumentNullException.ThrowIfNull(redis);
        _redis = redis;
        _prefix = keyPrefix ?? "";
    }

    /// <summary>
    /// Begins processing <paramref name="messageId"/> in <paramref name="group"/>: true when this caller may do
    /// the work (the marker says "running" for <paramref name="ttl"/>, which should outlast the work); false when
    /// it was done before. Throws <see cref="MessageInProgressException"/> when another consumer is working on it
    /// now; from a handler that retries the message later, when the other one has finished or given up.
    /// </summary>
    public async Task<bool> TryBeginAsync(string group, string messageId, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        // SET NX GET (Redis 7): one round trip that both claims the key and says what was there.
        var previous = await _redis.ExecuteAsync(
            "SET", [Key(group, messageId), Running, "PX", Milliseconds(ttl), "NX", "GET"], cancellationToken);
        if (previous.IsNull)
            return true;
        if (previous.AsString() == Done)
            return false;
        throw new MessageInProgressException(group, messageId);
    }

    /// <summary>Records that the work is done; duplicates seen within <paramref name="ttl"/> are skipped.</summary>
    public async Task MarkDoneAsync(string group, string messageId, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        await _redis.SetAsync(Key(group, messageId), Done, ttl, SetCondition.Always, cancellationToken);

    /// <summary>Removes the marker after the work failed, so that the next delivery may begin it again.</summary>
    public async Task ReleaseAsync(string group, string messageId, CancellationToken cancellationToken = default) =>
        await _redis.DelAsync(Key(group, messageId), cancellationToken);

    /// <summary>True when the message was marked done (and the marker has not expired).</summary>
    public async Task<bool> IsDoneAsync(string group, string messageId, CancellationToken cancellationToken = default) =>
        (await _redis.GetAsync(Key(group, messageId), cancellationToken)).AsString() == Done;

    /// <summary>
    /// Runs <paramref name="work"/> unless the message was done before: begins with <paramref name="runningTtl"/>,
    /// marks done for <paramref name="doneTtl"/> after, releases on failure (and rethrows). True when it ran.
    /// </summary>
    public async Task<bool> RunOnceAsync(
        string group, string messageId, Func<CancellationToken, Task> work, TimeSpan runningTtl, TimeSpan doneTtl,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!await TryBeginAsync(group, messageId, runningTtl, cancellationToken))
            return false;
        try
        {
            await work(cancellationToken);
        }
        catch
        {
            // Not cancellable: leaving "running" behind would block the retry until it expires.
            await ReleaseAsync(group, messageId, CancellationToken.None);
            throw;
        }
        await MarkDoneAsync(group, messageId, doneTtl, CancellationToken.None);
        return true;
    }

    private string Key(string group, string messageId)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        return string.Concat(_prefix, group, ":", messageId);
    }

    private static long Milliseconds(TimeSpan ttl) =>
        ttl > TimeSpan.Zero ? Math.Max(1, (long)ttl.TotalMilliseconds) : throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "The ttl must be positive.");
}
