namespace Suite.Messaging;

/// <summary>Turns long work into a job: records it, opens its event stream and hands it to a worker over the bus.</summary>
public interface IJobQueue
{
    /// <summary>
    /// Creates a job of <paramref name="kind"/> for <paramref name="owner"/>: its row (queued), its
    /// queued status event in <c>job:{id}</c>, and the bus message on <c>jobs:{kind}</c> carrying
    /// <paramref name="input"/> as JSON. Returns the job id.
    /// </summary>
    Task<string> EnqueueAsync<TInput>(string kind, string owner, TInput input, CancellationToken cancellationToken = default);
}
