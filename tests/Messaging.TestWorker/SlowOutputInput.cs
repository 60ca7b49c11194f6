namespace Suite.Messaging.TestWorker;

/// <summary>The input of a <see cref="SlowOutputHandler"/> job.</summary>
public sealed record SlowOutputInput(int Outputs, int DelayMs);
