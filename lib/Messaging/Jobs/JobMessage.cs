using System.Text.Json;

namespace Suite.Messaging;

/// <summary>The bus message that hands a job to a worker (topic <c>jobs:{kind}</c>, message id = job id).</summary>
internal sealed record JobMessage(string JobId, string Kind, string Owner, JsonElement Input)
{
    /// <summary>The consumer group of job workers on every <c>jobs:{kind}</c> topic.</summary>
    public const string ConsumerGroup = "jobs";

    public static string Topic(string kind) => "jobs:" + kind;
}
