using System.Text.Json;

namespace Portable.Hosting;

/// <summary>
/// The <see cref="IInvocationOutbox"/> of the invocation running on this async flow. The queues are singletons, so they reach the
/// invocation's outbox through an <see cref="AsyncLocal{T}"/>: concurrent invocations each see their own, and a send outside an
/// invocation sees none. Every queue implementation calls <see cref="TryCollect{T}"/> before it sends.
/// </summary>
public static class InvocationOutbox
{
    private static readonly AsyncLocal<IInvocationOutbox?> CurrentOutbox = new();

    /// <summary>The outbox of the invocation running on this async flow, or null. An adapter sets it when the invocation starts and clears it when it ends.</summary>
    public static IInvocationOutbox? Current
    {
        get => CurrentOutbox.Value;
        set => CurrentOutbox.Value = value;
    }

    /// <summary>Offers messages to the current outbox, serialized as the queue would send them; without an outbox nothing is serialized.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="queue">The queue's definition: its name and JSON metadata.</param>
    /// <param name="messages">The messages, in send order.</param>
    /// <param name="options">The send options, already validated by the queue.</param>
    /// <returns>True when the outbox took the messages, so the queue must not send them; false when the queue sends them.</returns>
    public static bool TryCollect<T>(QueueDefinition<T> queue, IReadOnlyList<T> messages, SendOptions? options)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(messages);
        if (Current is not { } outbox || messages.Count == 0) return false;
        var bodies = new byte[messages.Count][];
        for (var i = 0; i < bodies.Length; i++) bodies[i] = JsonSerializer.SerializeToUtf8Bytes(messages[i], queue.TypeInfo);
        return outbox.TryCollect(queue.Name, bodies, options);
    }

    /// <summary>Offers messages the queue has already serialized to the current outbox.</summary>
    /// <param name="queue">The queue name.</param>
    /// <param name="messages">Each message's JSON, in send order.</param>
    /// <param name="options">The send options, already validated by the queue.</param>
    /// <returns>True when the outbox took the messages, so the queue must not send them; false when the queue sends them.</returns>
    public static bool TryCollect(string queue, IReadOnlyList<byte[]> messages, SendOptions? options)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(messages);
        return messages.Count > 0 && Current is { } outbox && outbox.TryCollect(queue, messages, options);
    }
}
