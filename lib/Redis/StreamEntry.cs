namespace Suite.Redis;

/// <summary>One stream entry: its id and its fields in the order they were added.</summary>
public sealed record StreamEntry(string Id, IReadOnlyList<KeyValuePair<string, RedisValue>> Fields)
{
    /// <summary>The first field with that name, or <see cref="RedisValue.Null"/>.</summary>
    public RedisValue this[string field]
    {
        get
        {
            foreach (var pair in Fields)
            {
                if (pair.Key == field)
                    return pair.Value;
            }
            return RedisValue.Null;
        }
    }
}
