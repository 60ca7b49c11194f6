namespace Suite.Messaging;

/// <summary>Thrown by a job handler to fail its job with a message (and code) meant for the job's owner.</summary>
public sealed class JobFailedException(string message, string? code = null, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>A stable machine-readable code for the failure, e.g. <c>model_unavailable</c>.</summary>
    public string? Code { get; } = code;
}
