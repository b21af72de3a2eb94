namespace Portable;

/// <summary>Sends messages of one type to their queue.</summary>
/// <typeparam name="T">The message type, serialized with the app's JSON contexts.</typeparam>
/// <remarks>Register the queue name once with <c>builder.Resources.AddQueue&lt;T&gt;("name")</c>; the adapter supplies the implementation.</remarks>
public interface IQueue<in T>
{
    /// <summary>Sends one message. When the task completes the queue has accepted it durably.</summary>
    /// <param name="message">The message.</param>
    /// <param name="options">A delay or deduplication id, or null.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the message is accepted.</returns>
    Task SendAsync(T message, SendOptions? options, CancellationToken cancellationToken);

    /// <summary>Sends several messages. When the task completes every message has been accepted.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="options">A delay applied to each message, or null.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when every message is accepted.</returns>
    Task SendBatchAsync(IEnumerable<T> messages, SendOptions? options, CancellationToken cancellationToken);
}
