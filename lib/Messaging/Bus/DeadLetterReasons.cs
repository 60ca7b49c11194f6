namespace Suite.Messaging;

/// <summary>
/// Why a message went to <c>&lt;topic&gt;:dead</c>, in its <c>dead.reason</c> field and the dead-letter counter's
/// <c>reason</c> tag. A dead-letter entry holds the original fields, then <c>dead.reason</c>,
/// <c>dead.error.type</c>, <c>dead.error.message</c>, <c>dead.original_id</c>, <c>dead.group</c>,
/// <c>dead.consumer</c>, <c>dead.attempts</c> and <c>dead.time</c> (Unix ms).
/// </summary>
public static class DeadLetterReasons
{
    /// <summary>The handler threw on every one of the allowed deliveries.</summary>
    public const string Failed = "failed";

    /// <summary>Delivered more than the allowed times without an outcome: its consumers crashed or hung each time.</summary>
    public const string Limit = "limit";

    /// <summary>The entry is not a bus message, or its data is not valid JSON for the handler's type; retrying cannot help.</summary>
    public const string Malformed = "malformed";

    /// <summary>The entry was trimmed from the stream while still pending; only its id is known.</summary>
    public const string Lost = "lost";
}
