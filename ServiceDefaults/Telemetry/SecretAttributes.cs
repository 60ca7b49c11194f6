namespace Suite.ServiceDefaults;

/// <summary>
/// Decides which span attributes must never leave the process. A name is secret when one of its
/// words (split on <c>. _ - :</c> and spaces) is or ends in a secret-looking word: authorization,
/// password, secret, token, key, cookie, credential... Whole words are compared so that
/// <c>gen_ai.usage.input_tokens</c> stays while <c>http.request.header.x-api-key</c> goes.
/// </summary>
public static class SecretAttributes
{
    /// <summary>Written in place of a value that looks like a credential.</summary>
    public const string Redacted = "[redacted]";

    private static readonly char[] Separators = ['.', '_', '-', ':', ' ', '/'];

    private static readonly string[] Words =
        ["authorization", "password", "passwd", "pwd", "secret", "token", "key", "cookie", "credential", "credentials", "signature"];

    private static readonly string[] Fragments =
        ["apikey", "api-key", "api_key", "password", "secret", "connectionstring", "connection_string", "authorization", "credential"];

    /// <summary>True when an attribute with this name must not be written.</summary>
    public static bool IsSecret(string name)
    {
        var lower = name.ToLowerInvariant();
        foreach (var fragment in Fragments)
        {
            if (lower.Contains(fragment, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (var word in lower.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var secret in Words)
            {
                // "accesstoken", "privatekey": camelCase names lower-cased into one word.
                if (word.EndsWith(secret, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when a value carries an HTTP credential whatever the attribute is called.</summary>
    public static bool LooksSecret(string value) =>
        value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);
}
