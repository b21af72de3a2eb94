namespace Portable.Aws.Logging;

/// <summary>
/// The ids of the invocation whose scope is open on this async flow (the executor's log scope: <c>InvocationId</c>,
/// <c>TraceId</c>, <c>SpanId</c>), which every JSON log line written inside it carries. Disposing it restores the outer one.
/// </summary>
internal sealed class InvocationLogScope : IDisposable
{
    private static readonly AsyncLocal<InvocationLogScope?> CurrentScope = new();

    private readonly InvocationLogScope? _outer;
    private bool _disposed;

    private InvocationLogScope(string? invocationId, string? traceId, string? spanId)
    {
        InvocationId = invocationId;
        TraceId = traceId;
        SpanId = spanId;
        _outer = CurrentScope.Value;
        CurrentScope.Value = this;
    }

    /// <summary>The innermost invocation scope on this async flow, or null outside any invocation.</summary>
    public static InvocationLogScope? Current => CurrentScope.Value;

    public string? InvocationId { get; }

    public string? TraceId { get; }

    public string? SpanId { get; }

    /// <summary>Opens a scope when the state names an invocation (a list of key/value pairs with <c>TraceId</c> or <c>InvocationId</c>); null for any other scope.</summary>
    public static InvocationLogScope? Begin<TState>(TState state)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> pairs) return null;
        string? invocationId = null, traceId = null, spanId = null;
        for (var i = 0; i < pairs.Count; i++)
        {
            var (key, value) = pairs[i];
            switch (key)
            {
                case "InvocationId": invocationId = value as string; break;
                case "TraceId": traceId = value as string; break;
                case "SpanId": spanId = value as string; break;
            }
        }

        return invocationId is null && traceId is null ? null : new InvocationLogScope(invocationId, traceId, spanId);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (CurrentScope.Value == this) CurrentScope.Value = _outer;
    }
}
