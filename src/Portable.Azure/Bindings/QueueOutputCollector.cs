using Portable.Hosting;

namespace Portable.Azure.Bindings;

/// <summary>
/// The messages one non-forwarded invocation sends to the queues its function declared (<c>Sends&lt;T&gt;()</c>), held until the
/// invocation ends instead of being sent. <see cref="CustomHandlerInvoker"/> sets it as the invocation's
/// <see cref="InvocationOutbox.Current"/>, which every queue (Storage Queues, and the local queue under the test host) offers its
/// sends to, and answers them as the response's <c>Outputs</c> when the invocation succeeded; the Functions host writes them to
/// the queues. Otherwise they are dropped. Each collected message carries the sender's trace context (<see cref="QueueMessageTrace"/>):
/// the current activity's, which is the queue's producer span when it started one, else the invocation's span.
/// </summary>
internal sealed class QueueOutputCollector(IReadOnlyDictionary<string, string> bindings) : IInvocationOutbox
{
    private readonly List<(string Binding, byte[] Message)> _messages = [];
    private bool _closed;
    private bool _taken;

    /// <summary>
    /// Collects messages for the invocation, or says they must be sent directly: when its function did not declare the queue, when
    /// it has ended, or when the send has a delay (an output binding cannot delay).
    /// </summary>
    /// <param name="queue">The queue name.</param>
    /// <param name="messages">Each message's JSON.</param>
    /// <param name="options">The send options.</param>
    /// <returns>True when the messages were collected; false when the caller sends them.</returns>
    public bool TryCollect(string queue, IReadOnlyList<byte[]> messages, SendOptions? options)
    {
        if (options?.Delay is { } delay && delay > TimeSpan.Zero) return false;
        return Add(queue, messages);
    }

    /// <summary>Ends collecting and takes the messages for the response's <c>Outputs</c>: binding name to messages, in send order.</summary>
    public IReadOnlyList<(string Binding, IReadOnlyList<byte[]> Messages)> Take()
    {
        lock (_messages)
        {
            _closed = true;
            _taken = true;
            return _messages.GroupBy(m => m.Binding, StringComparer.Ordinal)
                .Select(g => (g.Key, (IReadOnlyList<byte[]>)g.Select(m => m.Message).ToList()))
                .ToList();
        }
    }

    /// <summary>Ends collecting; later sends go directly.</summary>
    /// <returns>How many collected messages were not taken for the response, and so are dropped.</returns>
    public int Close()
    {
        lock (_messages)
        {
            _closed = true;
            return _taken ? 0 : _messages.Count;
        }
    }

    private bool Add(string queue, IReadOnlyList<byte[]> messages)
    {
        if (!bindings.TryGetValue(queue, out var binding)) return false;
        lock (_messages)
        {
            if (_closed) return false;
            var context = PortableTelemetry.ContextToSend(null);
            foreach (var message in messages) _messages.Add((binding, QueueMessageTrace.Attach(message, context)));
            return true;
        }
    }
}
