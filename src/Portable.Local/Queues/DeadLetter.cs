namespace Portable.Local.Queues;

/// <summary>A message that ran out of delivery attempts or could not be read.</summary>
/// <param name="Id">The message id.</param>
/// <param name="Queue">The queue it was on.</param>
/// <param name="Attempts">How many times it was delivered.</param>
/// <param name="LastError">Why the last delivery failed.</param>
/// <param name="Body">The message body as text.</param>
/// <param name="EnqueuedAt">When it was sent.</param>
public sealed record DeadLetter(string Id, string Queue, int Attempts, string? LastError, string Body, DateTimeOffset EnqueuedAt);
