namespace Portable;

/// <summary>How a message is sent.</summary>
/// <remarks>
/// What each platform's queue does with these options (each implementation declares it, and a publish reports what it lacks):
/// <list type="table">
/// <listheader><term>queue</term><description>delay / deduplication id</description></listheader>
/// <item><term>local (SQLite)</term><description>honoured / honoured (within <c>DeduplicationWindow</c>)</description></item>
/// <item><term>SQS standard queue</term><description>honoured / accepted, not enforced</description></item>
/// <item><term>SQS FIFO queue (<c>.fifo</c>)</term><description>refused (<see cref="NotSupportedException"/>; use the queue's <c>DelaySeconds</c>) / honoured (five minutes)</description></item>
/// <item><term>Azure Storage Queues</term><description>honoured / accepted, not enforced</description></item>
/// <item><term>Google Pub/Sub</term><description>refused (<see cref="NotSupportedException"/>; use Cloud Scheduler or Cloud Tasks) / accepted, not enforced</description></item>
/// </list>
/// Where a deduplication id is not enforced, delivery is at least once and the consumer must be idempotent.
/// </remarks>
public sealed record SendOptions
{
    /// <summary>Deliver the message no sooner than this: zero to 15 minutes, else <see cref="ArgumentOutOfRangeException"/>. A queue without delayed delivery (Pub/Sub, SQS FIFO) refuses a positive delay with <see cref="NotSupportedException"/>.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>1 to 100 printable ASCII characters without spaces. Where the queue deduplicates (local, SQS FIFO), messages with the same id sent within its window are delivered once; elsewhere the id is accepted but not enforced.</summary>
    public string? DeduplicationId { get; init; }
}
