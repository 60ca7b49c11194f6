using System.Globalization;
using System.Text;

namespace Suite.Redis;

/// <summary>
/// Where and how to connect to Redis. Bind it from configuration or parse a connection string of
/// the form <c>host:port[,password=…][,user=…][,defaultDatabase=N][,name=…][,connectTimeout=ms][,syncTimeout=ms][,protocol=3]</c>.
/// <see cref="ToString"/> never shows the password.
/// </summary>
public sealed class RedisOptions
{
    public string Host { get; set; } = "localhost";

    public int Port { get; set; } = 6379;

    /// <summary>ACL user; null authenticates as <c>default</c> when a password is set.</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>Database index selected on every connection (SELECT).</summary>
    public int Database { get; set; }

    /// <summary>Name shown in CLIENT LIST (CLIENT SETNAME).</summary>
    public string? ClientName { get; set; }

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a command waits for its reply before it fails with <see cref="RedisTimeoutException"/>.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>2 (RESP2) or 3 (RESP3, negotiated with HELLO 3).</summary>
    public int Protocol { get; set; } = 2;

    /// <summary>Longest wait between two reconnection attempts (the wait doubles from 50 ms up to this).</summary>
    public TimeSpan ReconnectMaxBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Run the code after <c>await</c> on a command directly on the connection's reader when true (the
    /// fastest, but a caller that blocks there stalls every reply on the connection); on the thread
    /// pool when false (the default).
    /// </summary>
    public bool InlineContinuations { get; set; }

    /// <summary><c>host:port</c>, with brackets around an IPv6 address.</summary>
    public string Endpoint => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Parses a connection string (see the class summary). Unknown settings are an error that names them.</summary>
    public static RedisOptions Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new RedisOptions();
        var parts = connectionString.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var endpointSeen = false;
        foreach (var part in parts)
        {
            var equals = part.IndexOf('=');
            if (equals < 0)
            {
                if (endpointSeen)
                    throw new FormatException($"Redis connection string has a second endpoint '{part}'; only one is supported.");
                options.SetEndpoint(part);
                endpointSeen = true;
                continue;
            }
            var key = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            options.Set(key, value);
        }
        if (!endpointSeen)
            throw new FormatException("Redis connection string has no host:port.");
        return options;
    }

    private void SetEndpoint(string endpoint)
    {
        string host;
        string? port = null;
        if (endpoint.StartsWith('['))
        {
            var close = endpoint.IndexOf(']');
            if (close < 0)
                throw new FormatException($"Redis endpoint '{endpoint}' has an unclosed '['.");
            host = endpoint[1..close];
            if (close + 1 < endpoint.Length)
                port = endpoint[(close + 1)..].TrimStart(':');
        }
        else
        {
            var colon = endpoint.LastIndexOf(':');
            host = colon < 0 ? endpoint : endpoint[..colon];
            port = colon < 0 ? null : endpoint[(colon + 1)..];
        }
        if (host.Length == 0)
            throw new FormatException($"Redis endpoint '{endpoint}' has no host.");
        Host = host;
        if (port is not null)
            Port = ParseInt("port", port, 1, 65535);
    }

    private void Set(string key, string value)
    {
        switch (key.ToLowerInvariant())
        {
            case "password":
                Password = value;
                break;
            case "user":
                User = value;
                break;
            case "defaultdatabase":
                Database = ParseInt(key, value, 0, int.MaxValue);
                break;
            case "name":
                ClientName = value;
                break;
            case "connecttimeout":
                ConnectTimeout = TimeSpan.FromMilliseconds(ParseInt(key, value, 1, int.MaxValue));
                break;
            case "synctimeout" or "asynctimeout":
                CommandTimeout = TimeSpan.FromMilliseconds(ParseInt(key, value, 1, int.MaxValue));
                break;
            case "protocol":
                Protocol = value.ToLowerInvariant() switch
                {
                    "2" or "resp2" => 2,
                    "3" or "resp3" => 3,
                    _ => throw new FormatException($"Redis connection string setting 'protocol' must be 2 or 3, not '{value}'."),
                };
                break;
            case "reconnectmaxbackoff":
                ReconnectMaxBackoff = TimeSpan.FromMilliseconds(ParseInt(key, value, 1, int.MaxValue));
                break;
            case "ssl" when value.Equals("false", StringComparison.OrdinalIgnoreCase):
                break;
            case "ssl":
                throw new FormatException("Redis connection string setting 'ssl=true' is not supported by this client.");
            // StackExchange.Redis settings that tools (Aspire among them) add; they change nothing here.
            case "abortconnect" or "allowadmin" or "connectretry" or "keepalive":
                break;
            default:
                throw new FormatException($"Redis connection string has an unknown setting '{key}'.");
        }
    }

    private static int ParseInt(string key, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new FormatException($"Redis connection string setting '{key}' must be a whole number from {min} to {max}, not '{value}'.");

    /// <summary>The connection string, with the password masked.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Endpoint);
        if (User is not null)
            text.Append(",user=").Append(User);
        if (Password is not null)
            text.Append(",password=*****");
        if (Database != 0)
            text.Append(",defaultDatabase=").Append(Database);
        if (ClientName is not null)
            text.Append(",name=").Append(ClientName);
        if (Protocol != 2)
            text.Append(",protocol=").Append(Protocol);
        return text.ToString();
    }

    internal void Validate()
    {
        if (Protocol is not (2 or 3))
            throw new ArgumentException($"RedisOptions.Protocol must be 2 or 3, not {Protocol}.");
        if (string.IsNullOrWhiteSpace(Host))
            throw new ArgumentException("RedisOptions.Host is required.");
        if (Port is < 1 or > 65535)
            throw new ArgumentException($"RedisOptions.Port must be from 1 to 65535, not {Port}.");
        if (CommandTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero)
            throw new ArgumentException("RedisOptions.CommandTimeout and ConnectTimeout must be positive.");
    }
}
