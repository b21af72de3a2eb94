namespace Portable.Azure.Bindings;

/// <summary>
/// The messages one non-forwarded invocation sends to the queues its function declared (<c>Sends&lt;T&gt;()</c>), held until the
/// invocation ends instead of being sent. <see cref="CustomHandlerInvoker"/> answers them as the response's <c>Outputs</c> when the
/// invocation succeeded, and the Functions host writes them to the queues; otherwise they are dropped. The queue ports are
/// singletons, so they reach the invocation's collector through an <see cref="AsyncLocal{T}"/>: concurrent invocations each see
/// their own, and a send outside an invocation sees none.
/// </summary>
internal sealed class QueueOutputCollector(IReadOnlyDictionary<string, string> bindings)
{
    private static readonly AsyncLocal<QueueOutputCollector?> CurrentCollector = new();
    private readonly List<(string Binding, byte[] Message)> _messages = [];
    private bool _closed;
    private bool _taken;

    /// <summary>The collector of the invocation running on this async flow, or null.</summary>
    public static QueueOutputCollector? Current
    {
        get => CurrentCollector.Value;
        set => CurrentCollector.Value = value;
    }

    /// <summary>
    /// Collects messages for the current invocation, or says they must be sent directly: when no invocation collects, when its
    /// function did not declare the queue, when it has ended, or when the send has a delay (an output binding cannot delay).
    /// </summary>
    /// <param name="queue">The queue name.</param>
    /// <param name="messages">Each message's JSON.</param>
    /// <param name="options">The send options.</param>
    /// <returns>True when the messages were collected; false when the caller sends them.</returns>
    public static bool TryCollect(string queue, IReadOnlyList<byte[]> messages, SendOptions? options)
    {
        if (options?.Delay is { } delay && delay > TimeSpan.Zero) return false;
        return Current is { } collector && collector.Add(queue, messages);
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
            foreach (var message in messages) _messages.Add((binding, message));
            return true;
        }
    }
}
