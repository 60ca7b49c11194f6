namespace Suite.Redis;

/// <summary>
/// A command got no reply within its time-out. The connection stays up: the late reply is read and
/// dropped when it comes, so later commands still get their own replies.
/// </summary>
public sealed class RedisTimeoutException : RedisException
{
    public RedisTimeoutException(string message, string endpoint, string command, TimeSpan timeout)
        : base(message)
    {
        Endpoint = endpoint;
        Command = command;
        Timeout = timeout;
    }

    public string Endpoint { get; }

    public string Command { get; }

    public TimeSpan Timeout { get; }
}
