using System.Collections;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Portable.Gcp.Http;

/// <summary>
/// The logging scope of one request: its trace and span ids, which the structured log lines written outside an invocation carry
/// (inside one, the invocation's own scope, <see cref="Hosting.InvocationLogScope"/>, wins).
/// </summary>
internal sealed class TraceScope(TraceContext trace) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string TraceIdKey = "TraceId";
    public const string SpanIdKey = "SpanId";
    public const string SampledKey = "TraceSampled";

    public int Count => 3;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new(TraceIdKey, trace.TraceId),
        1 => new(SpanIdKey, trace.ParentId),
        _ => new(SampledKey, trace.IsSampled),
    };

    /// <summary>The innermost request's trace context among <paramref name="scopes"/>, or null.</summary>
    public static TraceContext? Find(IExternalScopeProvider scopes)
    {
        var found = new StrongBox<TraceContext?>();
        scopes.ForEachScope(static (scope, found) =>
        {
            if (scope is TraceScope request) found.Value = request.Trace;
        }, found);
        return found.Value;
    }

    private TraceContext Trace => trace;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => trace.TraceParent;
}
