namespace Suite.Redis;

/// <summary>When SET writes the value.</summary>
public enum SetCondition
{
    /// <summary>Always.</summary>
    Always,

    /// <summary>Only when the key does not exist (NX).</summary>
    NotExists,

    /// <summary>Only when the key exists (XX).</summary>
    Exists,
}
