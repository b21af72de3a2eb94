using System.Collections.Concurrent;
using System.Text;
using Microsoft.Data.Sqlite;
using Portable.Local.Storage;

namespace Portable.Local.Queues;

/// <summary>
/// At-least-once queues on the local store: a send is committed before it returns; a delivery leases the message
/// for the visibility timeout; an acknowledgement deletes it; a failure schedules a retry or dead-letters it.
/// A crash leaves leased messages to reappear when their lease runs out.
/// </summary>
internal sealed class LocalQueueStore(LocalStore store, LocalOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, WakeUp> _wakeUps = new(StringComparer.Ordinal);

    /// <summary>A signal that completes when something is sent to the queue.</summary>
    public WakeUp WakeUpFor(string queue) => _wakeUps.GetOrAdd(queue, static _ => new WakeUp());

    /// <summary>
    /// Sends messages in one transaction, with the sender's trace context when it has one; returns how many were accepted
    /// (a duplicate deduplication id is dropped).
    /// </summary>
    public int Enqueue(string queue, IReadOnlyList<byte[]> bodies, TimeSpan? delay, string? deduplicationId, TraceContext? trace = null)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var visibleAt = now + (long)(delay ?? TimeSpan.Zero).TotalMilliseconds;
        var accepted = store.InTransaction((connection, transaction) =>
        {
            if (deduplicationId is not null && !Remember(connection, transaction, queue, deduplicationId, now)) return 0;
            foreach (var body in bodies)
            {
                connection.Execute(
                    "INSERT INTO messages (id, queue, body, visible_at, enqueued_at, traceparent, tracestate) VALUES ($id, $queue, $body, $visible, $now, $traceparent, $tracestate)",
                    transaction, ("$id", Guid.NewGuid().ToString("N")), ("$queue", queue), ("$body", body), ("$visible", visibleAt), ("$now", now),
                    ("$traceparent", trace?.TraceParent), ("$tracestate", trace?.TraceState));
            }

            return bodies.Count;
        });
        if (accepted > 0) WakeUpFor(queue).Set();
        return accepted;
    }

    /// <summary>Queues one message inside a caller's transaction (a blob write's events); call <see cref="WakeUpFor"/> after the commit.</summary>
    public void EnqueueIn(SqliteConnection connection, SqliteTransaction transaction, string queue, byte[] body)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        connection.Execute(
            "INSERT INTO messages (id, queue, body, visible_at, enqueued_at) VALUES ($id, $queue, $body, $now, $now)",
            transaction, ("$id", Guid.NewGuid().ToString("N")), ("$queue", queue), ("$body", body), ("$now", now));
    }

    /// <summary>Sends to several queues in one transaction (a notification's fan-out), with the publisher's trace context; deduplicated once per scope.</summary>
    public bool EnqueueFanOut(string scope, IReadOnlyList<string> queues, byte[] body, string? deduplicationId, TraceContext? trace = null)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var accepted = store.InTransaction((connection, transaction) =>
        {
            if (deduplicationId is not null && !Remember(connection, transaction, scope, deduplicationId, now)) return false;
            foreach (var queue in queues)
            {
                connection.Execute(
                    "INSERT INTO messages (id, queue, body, visible_at, enqueued_at, traceparent, tracestate) VALUES ($id, $queue, $body, $now, $now, $traceparent, $tracestate)",
                    transaction, ("$id", Guid.NewGuid().ToString("N")), ("$queue", queue), ("$body", body), ("$now", now),
                    ("$traceparent", trace?.TraceParent), ("$tracestate", trace?.TraceState));
            }

            return true;
        });
        if (accepted)
        {
            foreach (var queue in queues) WakeUpFor(queue).Set();
        }

        return accepted;
    }

    /// <summary>Takes the next visible message, if any, and hides it for the visibility timeout.</summary>
    public LeasedMessage? Lease(string queue)
    {
        var now = time.GetUtcNow();
        var until = now + options.VisibilityTimeout;
        var lease = Guid.NewGuid().ToString("N");
        return store.Run(connection =>
        {
            using var command = connection.Command(
                """
                UPDATE messages SET attempts = attempts + 1, visible_at = $until, lease = $lease
                WHERE seq = (SELECT seq FROM messages WHERE queue = $queue AND dead = 0 AND visible_at <= $now ORDER BY visible_at, seq LIMIT 1)
                RETURNING id, body, attempts, traceparent, tracestate
                """,
                null, ("$until", until.ToUnixTimeMilliseconds()), ("$lease", lease), ("$queue", queue), ("$now", now.ToUnixTimeMilliseconds()));
            using var reader = command.ExecuteReader();
            if (!reader.Read()) return null;
            // A stored context that does not parse (written by hand, or by a future version) is dropped: the delivery starts a new trace.
            TraceContext.TryParse(reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), out var trace);
            return new LeasedMessage(reader.GetString(0), queue, (byte[])reader.GetValue(1), reader.GetInt32(2), lease, until, trace);
        });
    }

    /// <summary>Deletes a handled message. False when the lease had run out and another delivery holds it.</summary>
    public bool Acknowledge(LeasedMessage message)
        => store.Run(c => c.Execute("DELETE FROM messages WHERE id = $id AND lease = $lease", null, ("$id", message.Id), ("$lease", message.Lease))) == 1;

    /// <summary>Makes a failed message visible again after a delay.</summary>
    public void Retry(LeasedMessage message, TimeSpan delay, string error)
        => store.Run(c => c.Execute(
            "UPDATE messages SET visible_at = $visible, lease = NULL, last_error = $error WHERE id = $id AND lease = $lease",
            null, ("$visible", (time.GetUtcNow() + delay).ToUnixTimeMilliseconds()), ("$error", error), ("$id", message.Id), ("$lease", message.Lease)));

    /// <summary>Moves a message to the dead-letter queue.</summary>
    public void DeadLetter(LeasedMessage message, string error)
        => store.Run(c => c.Execute(
            "UPDATE messages SET dead = 1, lease = NULL, last_error = $error WHERE id = $id AND lease = $lease",
            null, ("$error", error), ("$id", message.Id), ("$lease", message.Lease)));

    /// <summary>Puts an unfinished message back at once, without counting the delivery (graceful shutdown).</summary>
    public void Release(LeasedMessage message)
        => store.Run(c => c.Execute(
            "UPDATE messages SET visible_at = $now, lease = NULL, attempts = MAX(attempts - 1, 0) WHERE id = $id AND lease = $lease",
            null, ("$now", time.GetUtcNow().ToUnixTimeMilliseconds()), ("$id", message.Id), ("$lease", message.Lease)));

    /// <summary>When the next message of the queue becomes visible, or null when it holds none.</summary>
    public DateTimeOffset? NextVisibleAt(string queue)
        => store.Run(c => c.Scalar("SELECT MIN(visible_at) FROM messages WHERE queue = $queue AND dead = 0", null, ("$queue", queue))) is long ms
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    /// <summary>The counts of each queue that holds or held messages.</summary>
    public IReadOnlyList<QueueStats> Stats()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return store.Run(connection =>
        {
            using var command = connection.Command(
                """
                SELECT queue,
                       SUM(dead = 0 AND visible_at <= $now),
                       SUM(dead = 0 AND visible_at > $now AND lease IS NOT NULL),
                       SUM(dead = 0 AND visible_at > $now AND lease IS NULL),
                       SUM(dead = 1)
                FROM messages GROUP BY queue ORDER BY queue
                """, null, ("$now", now));
            using var reader = command.ExecuteReader();
            var stats = new List<QueueStats>();
            while (reader.Read()) stats.Add(new QueueStats(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4)));
            return stats;
        });
    }

    /// <summary>How many messages are not yet handled (ready, in flight or delayed), across every queue.</summary>
    public int PendingCount() => store.Run(c => Convert.ToInt32(c.Scalar("SELECT COUNT(*) FROM messages WHERE dead = 0"), System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The dead-lettered messages of a queue, or of every queue when null.</summary>
    public IReadOnlyList<DeadLetter> DeadLetters(string? queue)
        => store.Run(connection =>
        {
            using var command = connection.Command(
                "SELECT id, queue, attempts, last_error, body, enqueued_at FROM messages WHERE dead = 1 AND ($queue IS NULL OR queue = $queue) ORDER BY seq",
                null, ("$queue", queue));
            using var reader = command.ExecuteReader();
            var letters = new List<DeadLetter>();
            while (reader.Read())
            {
                letters.Add(new DeadLetter(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    Encoding.UTF8.GetString((byte[])reader.GetValue(4)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
            }

            return letters;
        });

    /// <summary>Sends dead-lettered messages of a queue back for delivery with fresh attempts; one message when an id is given.</summary>
    public int Redrive(string queue, string? id)
    {
        var count = store.Run(c => c.Execute(
            "UPDATE messages SET dead = 0, attempts = 0, visible_at = $now, lease = NULL WHERE dead = 1 AND queue = $queue AND ($id IS NULL OR id = $id)",
            null, ("$now", time.GetUtcNow().ToUnixTimeMilliseconds()), ("$queue", queue), ("$id", id)));
        if (count > 0) WakeUpFor(queue).Set();
        return count;
    }

    private bool Remember(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, string scope, string key, long now)
    {
        connection.Execute("DELETE FROM dedup WHERE expires_at <= $now", transaction, ("$now", now));
        return connection.Execute(
            "INSERT OR IGNORE INTO dedup (scope, key, expires_at) VALUES ($scope, $key, $expires)",
            transaction, ("$scope", scope), ("$key", key), ("$expires", now + (long)options.DeduplicationWindow.TotalMilliseconds)) == 1;
    }
}
