using System.Text;

namespace Portable.Local.Queues;

/// <summary>
/// Inspects and operates the local host's durable queues, for tests and tools (the same operations as
/// <c>/_portable/queues</c>): put a raw body on a queue, count what is pending, read each queue's counts and dead letters,
/// and redrive dead letters. Resolve it from the local host's services.
/// </summary>
public sealed class LocalQueues
{
    private readonly LocalQueueStore _store;

    internal LocalQueues(LocalQueueStore store) => _store = store;

    /// <summary>Puts a raw message body on a queue as is, with no serialization (such as malformed JSON, to test a poison message).</summary>
    /// <param name="queue">The queue name.</param>
    /// <param name="body">The body, sent as UTF-8.</param>
    /// <exception cref="ArgumentNullException"><paramref name="queue"/> or <paramref name="body"/> is null.</exception>
    public void SendRaw(string queue, string body)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(body);
        _store.Enqueue(queue, [Encoding.UTF8.GetBytes(body)], null, null);
    }

    /// <summary>Puts a raw body, already checked to be JSON, on a queue (the admin API's <c>POST /_portable/queues/{queue}/messages</c>).</summary>
    internal void SendRaw(string queue, byte[] body) => _store.Enqueue(queue, [body], null, null);

    /// <summary>How many messages are not yet handled (ready, in flight or delayed for a retry), across every queue.</summary>
    /// <returns>The count; dead letters are not counted.</returns>
    public int PendingCount() => _store.PendingCount();

    /// <summary>The counts of each queue.</summary>
    /// <returns>One entry per queue that holds or held messages, ordered by name.</returns>
    public IReadOnlyList<QueueStats> Stats() => _store.Stats();

    /// <summary>The dead-lettered messages of a queue, or of every queue.</summary>
    /// <param name="queue">The queue name, or null for every queue.</param>
    /// <returns>The dead letters, oldest first.</returns>
    public IReadOnlyList<DeadLetter> DeadLetters(string? queue = null) => _store.DeadLetters(queue);

    /// <summary>Sends dead-lettered messages of a queue back for delivery with fresh attempts.</summary>
    /// <param name="queue">The queue name.</param>
    /// <param name="id">One dead letter's <see cref="DeadLetter.Id"/>, or null for all of the queue's.</param>
    /// <returns>The queue and how many messages went back.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="queue"/> is null.</exception>
    public RedriveResult Redrive(string queue, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return new RedriveResult(queue, _store.Redrive(queue, id));
    }
}
