namespace Portable.Local.Queues;

/// <summary>How many messages a queue holds, by state.</summary>
/// <param name="Queue">The queue name.</param>
/// <param name="Ready">Visible now.</param>
/// <param name="InFlight">Delivered and not yet acknowledged.</param>
/// <param name="Delayed">Waiting for a delay or a retry backoff.</param>
/// <param name="DeadLettered">In the dead-letter queue.</param>
public sealed record QueueStats(string Queue, int Ready, int InFlight, int Delayed, int DeadLettered);
