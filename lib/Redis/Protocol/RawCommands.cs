using System.Globalization;

namespace Suite.Redis.Protocol;

/// <summary>What <see cref="RedisClient.ExecuteAsync(string, ReadOnlySpan{RedisValue})"/> must know about a command by its name.</summary>
internal static class RawCommands
{
    /// <summary>Why the command cannot go on the shared connection, or null when it can.</summary>
    public static string? RefusalReason(string command)
    {
        var name = FirstWord(command);
        return name switch
        {
            "SELECT" => "SELECT would change the database for every caller; set RedisOptions.Database instead.",
            "MULTI" or "WATCH" or "UNWATCH" => $"{name} does not work on a shared connection (other callers' commands would interleave); use a Lua script (RedisScript) instead.",
            "SUBSCRIBE" or "PSUBSCRIBE" or "SSUBSCRIBE" or "UNSUBSCRIBE" or "PUNSUBSCRIBE" or "SUNSUBSCRIBE" =>
                $"{name} is not allowed here; use RedisClient.SubscribeAsync or PatternSubscribeAsync.",
            "MONITOR" or "QUIT" or "RESET" or "HELLO" or "AUTH" => $"{name} would change the shared connection for every caller.",
            "CLIENT" when SecondWord(command) == "REPLY" => "CLIENT REPLY would break the matching of replies to commands.",
            _ => null,
        };
    }

    /// <summary>
    /// For a blocking command, how long it may block (zero: for ever); null when it does not block.
    /// </summary>
    public static TimeSpan? BlockTime(string command, ReadOnlySpan<RedisValue> args)
    {
        var name = FirstWord(command);
        switch (name)
        {
            case "BLPOP" or "BRPOP" or "BRPOPLPUSH" or "BLMOVE" or "BZPOPMIN" or "BZPOPMAX":
                return args.Length == 0 ? null : Seconds(args[^1]);
            case "BLMPOP" or "BZMPOP":
                return args.Length == 0 ? null : Seconds(args[0]);
            case "WAIT":
                return args.Length == 0 ? null : Milliseconds(args[^1]);
            case "XREAD" or "XREADGROUP":
                for (var i = 0; i < args.Length - 1; i++)
                {
                    if (string.Equals(args[i].AsString(), "BLOCK", StringComparison.OrdinalIgnoreCase))
                        return Milliseconds(args[i + 1]);
                }
                return null;
            default:
                return null;
        }
    }

    private static TimeSpan Seconds(RedisValue value) =>
        double.TryParse(value.AsString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMilliseconds(1);

    private static TimeSpan Milliseconds(RedisValue value) =>
        value.TryParseInt64(out var ms) && ms >= 0 ? TimeSpan.FromMilliseconds(ms) : TimeSpan.FromMilliseconds(1);

    private static string FirstWord(string command)
    {
        var trimmed = command.AsSpan().Trim();
        var space = trimmed.IndexOf(' ');
        return (space < 0 ? trimmed : trimmed[..space]).ToString().ToUpperInvariant();
    }

    private static string SecondWord(string command)
    {
        var parts = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 1 ? parts[1].ToUpperInvariant() : "";
    }
}
