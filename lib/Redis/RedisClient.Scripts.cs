using System.Runtime.CompilerServices;
using Suite.Redis.Protocol;

namespace Suite.Redis;

// Lua scripts.
public sealed partial class RedisClient
{
    /// <summary>
    /// Runs a script with EVALSHA; when the server does not know it (NOSCRIPT, after a restart or
    /// SCRIPT FLUSH) sends it with EVAL, which also caches it for the next call.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RedisReply> EvalAsync(
        RedisScript script, IReadOnlyList<RedisKey>? keys = null, IReadOnlyList<RedisValue>? args = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        try
        {
            return await SendAsync(EncodeEval("EVALSHA", script.Sha1, keys, args), ReplyParsers.Reply, cancellationToken);
        }
        catch (RedisServerException ex) when (ex.ErrorCode == "NOSCRIPT")
        {
            return await SendAsync(EncodeEval("EVAL", script.Text, keys, args), ReplyParsers.Reply, cancellationToken);
        }
    }

    /// <summary>SCRIPT LOAD: caches the script on the server and returns its SHA1.</summary>
    public async ValueTask<string> ScriptLoadAsync(RedisScript script, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        var command = CommandBuffer.Start("SCRIPT LOAD");
        command.Add(script.Text);
        return await SendAsync(command, ReplyParsers.String, cancellationToken) ?? "";
    }

    private static CommandBuffer EncodeEval(string name, string scriptOrSha, IReadOnlyList<RedisKey>? keys, IReadOnlyList<RedisValue>? args)
    {
        var command = CommandBuffer.Start(name);
        command.Add(scriptOrSha);
        command.Add(keys?.Count ?? 0);
        if (keys is not null)
        {
            foreach (var key in keys)
                command.Add(key);
        }
        if (args is not null)
        {
            foreach (var arg in args)
                command.Add(arg);
        }
        return command;
    }
}
