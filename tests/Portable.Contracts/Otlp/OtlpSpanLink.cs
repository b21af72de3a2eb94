namespace Portable.Contracts.Otlp;

/// <summary>A link from a span to another span context.</summary>
/// <param name="TraceId">The linked trace id, 32 lower-case hex digits.</param>
/// <param name="SpanId">The linked span id, 16 lower-case hex digits.</param>
/// <param name="TraceState">The linked context's <c>tracestate</c>, empty when none was sent.</param>
/// <param name="Attributes">The link's attributes, typed as <see cref="OtlpSpan.Attributes"/> are.</param>
public sealed record OtlpSpanLink(string TraceId, string SpanId, string TraceState, IReadOnlyDictionary<string, object?> Attributes);
