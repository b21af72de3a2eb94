using System.Collections;

namespace Portable.Gcp.Http;

/// <summary>The logging scope of one request: its trace and span ids, which the structured log lines carry.</summary>
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
        _ => new(SampledKey, trace.Flags == "01"),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => trace.TraceParent;
}
