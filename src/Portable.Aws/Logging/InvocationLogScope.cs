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

    /// <summary>Opens a scope when the state is the executor's invocation scope (<see cref="Hosting.InvocationLogScope"/>); null for any other scope.</summary>
    public static InvocationLogScope? Begin<TState>(TState state)
        => state is Hosting.InvocationLogScope invocation ? new InvocationLogScope(invocation.InvocationId, invocation.TraceId, invocation.SpanId) : null;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (CurrentScope.Value == this) CurrentScope.Value = _outer;
    }
}
