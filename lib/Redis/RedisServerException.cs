namespace Suite.Redis;

/// <summary>
/// The server answered a command with an error reply (<c>-ERR …</c>, <c>-WRONGTYPE …</c>). The
/// message is the server's text followed by the command's name; arguments are never included.
/// </summary>
public sealed class RedisServerException : RedisException
{
    public RedisServerException(string errorText, string? command)
        : base(command is null ? errorText : $"{errorText} (command {command})")
    {
        ErrorText = errorText;
        Command = command;
        var space = errorText.IndexOf(' ');
        ErrorCode = space > 0 ? errorText[..space] : errorText;
    }

    /// <summary>The error as the server sent it, e.g. <c>NOSCRIPT No matching script.</c>.</summary>
    public string ErrorText { get; }

    /// <summary>The error's first word, e.g. <c>ERR</c>, <c>WRONGTYPE</c>, <c>NOSCRIPT</c>, <c>BUSYGROUP</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>The command that failed, e.g. <c>GET</c>.</summary>
    public string? Command { get; }
}
