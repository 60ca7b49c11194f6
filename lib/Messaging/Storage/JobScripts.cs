using Suite.Redis;

namespace Suite.Messaging;

/// <summary>
/// The Lua scripts that write a job's stream. Each keeps the job's state hash (<c>job:{id}:state</c>:
/// current attempt, terminal status) and its stream consistent in one atomic step, which is what makes
/// "exactly one terminal status" hold when a reclaimed duplicate, a zombie worker and a cancel race.
/// </summary>
internal static class JobScripts
{
    // Shared by the scripts. add: XADD, then, when a most length is set (ARGV maxlen, 0 = keep all),
    // trims the oldest entries itself rather than with MAXLEN ~, so that it knows the last id it removed
    // and records it in the state ('trimmed'): a resume point before it has a gap and answers 410.
    // It trims in batches of a tenth of the limit, so the cost per append stays small.
    private const string AddFunction = """
        local function add(stream, state, maxlen, kind, attempt, data)
            local id = redis.call('XADD', stream, '*', 'type', kind, 'attempt', attempt, 'data', data)
            local max = tonumber(maxlen)
            if max > 0 then
                local excess = redis.call('XLEN', stream) - max
                if excess >= math.max(1, math.floor(max / 10)) then
                    local gone = redis.call('XRANGE', stream, '-', '+', 'COUNT', excess)
                    redis.call('XTRIM', stream, 'MAXLEN', max)
                    redis.call('HSET', state, 'trimmed', gone[#gone][1])
                end
            end
            return id
        end
        local function terminal(state)
            local t = redis.call('HMGET', state, 'terminal', 'terminal_id', 'attempt', 'error', 'result')
            return {0, t[1], t[2], tonumber(t[3]) or 0, t[4] or '', t[5] or ''}
        end
        """;

    private static RedisScript WithHelpers(string body) => new(AddFunction + "\n" + body);

    /// <summary>
    /// Creates a job's state and writes its queued status event. KEYS: stream, state. ARGV: maxlen, data.
    /// Returns {1, entry id}, or {0, ''} when the job exists already (a retried enqueue).
    /// </summary>
    public static readonly RedisScript Create = WithHelpers("""
        if redis.call('EXISTS', KEYS[2]) == 1 then return {0, ''} end
        redis.call('HSET', KEYS[2], 'attempt', 0)
        return {1, add(KEYS[1], KEYS[2], ARGV[1], 'status', '0', ARGV[2])}
        """);

    /// <summary>
    /// Starts an attempt: the attempt number is the delivery count, and always above the previous start,
    /// so a redelivered job shows as a new "running" event. KEYS: stream, state. ARGV: maxlen, delivery
    /// attempt, data. Returns {1, attempt, entry id}, or the terminal tuple when the job has ended.
    /// </summary>
    public static readonly RedisScript Start = WithHelpers("""
        local s = redis.call('HMGET', KEYS[2], 'attempt', 'terminal')
        if s[2] then return terminal(KEYS[2]) end
        local attempt = math.max(tonumber(ARGV[2]), (tonumber(s[1]) or 0) + 1)
        redis.call('HSET', KEYS[2], 'attempt', attempt)
        return {1, attempt, add(KEYS[1], KEYS[2], ARGV[1], 'status', tostring(attempt), ARGV[3])}
        """);

    /// <summary>
    /// Appends a non-terminal event unless the job has ended or a later attempt has started (then the
    /// writer is a zombie and is told to stop). KEYS: stream, state. ARGV: maxlen, type, attempt, data.
    /// Returns {1, entry id}, {0, terminal status} or {-1, current attempt}.
    /// </summary>
    public static readonly RedisScript Append = WithHelpers("""
        local s = redis.call('HMGET', KEYS[2], 'attempt', 'terminal')
        if s[2] then return {0, s[2]} end
        local current = tonumber(s[1]) or 0
        if tonumber(ARGV[3]) < current then return {-1, tostring(current)} end
        return {1, add(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])}
        """);

    /// <summary>
    /// Ends the job once: an optional detail event (result or error), the terminal status event, the
    /// state's terminal fields, and the expiry of both keys. KEYS: stream, state. ARGV: maxlen, attempt
    /// (-1: whatever attempt is current, for a cancel from the API), status, detail type ('' for none),
    /// detail data, status data, expiry seconds, error JSON, result summary JSON.
    /// Returns {1 written | 0 ended before, status, terminal entry id, attempt, error, result} or {-1} when
    /// a later attempt owns the job.
    /// </summary>
    public static readonly RedisScript Finish = WithHelpers("""
        local s = redis.call('HMGET', KEYS[2], 'attempt', 'terminal')
        if s[2] then return terminal(KEYS[2]) end
        local current = tonumber(s[1]) or 0
        local attempt = tonumber(ARGV[2])
        if attempt >= 0 and attempt < current then return {-1} end
        if attempt < 0 then attempt = current end
        attempt = tostring(attempt)
        if ARGV[4] ~= '' then add(KEYS[1], KEYS[2], ARGV[1], ARGV[4], attempt, ARGV[5]) end
        local id = add(KEYS[1], KEYS[2], ARGV[1], 'status', attempt, ARGV[6])
        redis.call('HSET', KEYS[2], 'attempt', attempt, 'terminal', ARGV[3], 'terminal_id', id, 'error', ARGV[8], 'result', ARGV[9])
        redis.call('EXPIRE', KEYS[1], ARGV[7])
        redis.call('EXPIRE', KEYS[2], ARGV[7])
        return {1, ARGV[3], id, tonumber(attempt), ARGV[8], ARGV[9]}
        """);
}
