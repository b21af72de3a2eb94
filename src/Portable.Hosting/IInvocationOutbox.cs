namespace Portable.Hosting;

/// <summary>
/// Takes the messages one invocation sends, instead of the queue sending them, for a platform that writes them itself when the
/// invocation ends (such as an Azure Functions queue output binding). An adapter sets one as <see cref="InvocationOutbox.Current"/>
/// for the invocation; every <see cref="IQueue{T}"/> offers its sends to it first.
/// </summary>
public interface IInvocationOutbox
{
    /// <summary>Takes messages sent to a queue, or declines them so the queue sends them itself.</summary>
    /// <param name="queue">The queue name.</param>
    /// <param name="messages">Each message's JSON, in send order.</param>
    /// <param name="options">The send options (a delay, a deduplication id), already validated by the queue.</param>
    /// <returns>True when the outbox took the messages; false when the queue sends them.</returns>
    bool TryCollect(string queue, IReadOnlyList<byte[]> messages, SendOptions? options);
}
