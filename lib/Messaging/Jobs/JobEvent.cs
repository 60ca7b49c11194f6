namespace Suite.Messaging;

/// <summary>One event of a job's stream <c>job:{id}</c>.</summary>
/// <param name="Id">The Redis stream entry id (<c>1700000000000-0</c>): the SSE <c>id:</c> and the resume point.</param>
/// <param name="Type">One of <see cref="JobEventTypes"/>.</param>
/// <param name="Attempt">
/// Which start of the job wrote it (0 for the queued event). When a worker dies and the job runs again,
/// the events of the dead attempt stay in the stream: a client drops output of attempts older than
/// the latest <c>running</c> status event.
/// </param>
/// <param name="Data">The event's data as JSON text.</param>
public sealed record JobEvent(string Id, string Type, int Attempt, string Data);
