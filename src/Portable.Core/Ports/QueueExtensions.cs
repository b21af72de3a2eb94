namespace Portable;

/// <summary>Shorter calls on <see cref="IQueue{T}"/>.</summary>
public static class QueueExtensions
{
    /// <summary>Sends one message with no delay or deduplication id.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="queue">The queue.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the message is accepted.</returns>
    public static Task SendAsync<T>(this IQueue<T> queue, T message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return queue.SendAsync(message, null, cancellationToken);
    }
}
