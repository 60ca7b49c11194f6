namespace Suite.Redis;

/// <summary>
/// The connection to Redis could not be made or was lost. Names the endpoint and the command, never
/// the password. A command that fails with it may or may not have run on the server.
/// </summary>
public sealed class RedisConnectionException : RedisException
{
    public RedisConnectionException(string message, string endpoint, string? command, Exception? innerException = null)
        : base(message, innerException)
    {
        Endpoint = endpoint;
        Command = command;
    }

    /// <summary>The server's <c>host:port</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The command that could not complete, when there was one.</summary>
    public string? Command { get; }
}
