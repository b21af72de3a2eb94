namespace Portable.Azure.Bindings;

/// <summary>What the Functions host says about an invocation outside its payload: the <c>X-Azure-Functions-InvocationId</c> header and the trace headers.</summary>
/// <param name="InvocationId">The host's invocation id, or null.</param>
/// <param name="TraceParent">The <c>traceparent</c> header, or null.</param>
/// <param name="TraceState">The <c>tracestate</c> header, or null.</param>
internal sealed record HandlerCall(string? InvocationId, string? TraceParent = null, string? TraceState = null);
