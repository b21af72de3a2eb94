namespace Portable.Local.Queues;

/// <summary>A message taken from a queue, invisible to others until <see cref="VisibleUntil"/>; <see cref="Trace"/> is the sender's context, if it sent one.</summary>
internal sealed record LeasedMessage(string Id, string Queue, byte[] Body, int Attempt, string Lease, DateTimeOffset VisibleUntil, TraceContext? Trace);
