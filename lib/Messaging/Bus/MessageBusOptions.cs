using System.Text.Json;

namespace Suite.Messaging;

/// <summary>
/// Bus settings, bound from the <c>MessageBus</c> section. Every publish trims its topic: by length
/// (XADD MAXLEN ~ <see cref="MaxLength"/>) or, when <see cref="MaxAge"/> is set, by age (XADD MINID ~).
/// <para>
/// Trimming removes entries whatever the consumer groups have done with them. It can drop entries that
/// a slow or stopped group has not read yet (they are never delivered to it), and entries that are
/// delivered but still pending (not acknowledged). A pending entry whose data was trimmed shows up as a
/// deleted id when it is reclaimed (XAUTOCLAIM) or retried: the consumer counts it and writes a "lost"
/// record to <c>&lt;topic&gt;:dead</c>. Trimming never loses an acknowledged message's handling, and
/// with the default (a million entries per topic) it only bites when consumers fall that far behind.
/// </para>
/// </summary>
public sealed class MessageBusOptions
{
    /// <summary>Default approximate most entries kept per topic.</summary>
    public long MaxLength { get; set; } = 1_000_000;

    /// <summary>Default age after which entries are trimmed; when set it replaces trimming by length.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>Per-topic trimming, by topic name.</summary>
    public Dictionary<string, TopicOptions> Topics { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Approximate most entries kept in each <c>&lt;topic&gt;:dead</c> stream.</summary>
    public long DeadLetterMaxLength { get; set; } = 100_000;

    /// <summary>Prefix of the keys <see cref="IdempotencyGuard"/> writes.</summary>
    public string IdempotencyKeyPrefix { get; set; } = "idem:";

    /// <summary>How messages are written and read as JSON (web defaults: camelCase).</summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = new(JsonSerializerDefaults.Web);
}
