namespace Portable.Local.Queues;

/// <summary>How many dead-lettered messages were sent back.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Redriven">How many messages.</param>
public sealed record RedriveResult(string Queue, int Redriven);
