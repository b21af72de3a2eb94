using System.Diagnostics;
using System.Globalization;

namespace Portable.Contracts.Otlp;

/// <summary>One span as an OTLP exporter sent it to the <see cref="OtlpReceiver"/>.</summary>
public sealed record OtlpSpan
{
    /// <summary>The trace id, 32 lower-case hex digits.</summary>
    public required string TraceId { get; init; }

    /// <summary>The span id, 16 lower-case hex digits.</summary>
    public required string SpanId { get; init; }

    /// <summary>The parent's span id, 16 lower-case hex digits, or empty for a root span.</summary>
    public required string ParentSpanId { get; init; }

    /// <summary>The W3C <c>tracestate</c>, empty when none was sent.</summary>
    public string TraceState { get; init; } = "";

    /// <summary>The span's name (an <see cref="Activity.DisplayName"/>).</summary>
    public required string Name { get; init; }

    /// <summary>The span kind; OTLP's unspecified kind reads as <see cref="ActivityKind.Internal"/>, as the OTLP spec says it should.</summary>
    public ActivityKind Kind { get; init; }

    /// <summary>When the span started.</summary>
    public DateTimeOffset StartTime { get; init; }

    /// <summary>When the span ended.</summary>
    public DateTimeOffset EndTime { get; init; }

    /// <summary>The span's attributes: values are <see cref="string"/>, <see cref="bool"/>, <see cref="long"/>, <see cref="double"/>,
    /// <c>byte[]</c>, <see cref="IReadOnlyList{T}"/> of those, or <see cref="IReadOnlyDictionary{TKey, TValue}"/> for a key-value list.</summary>
    public IReadOnlyDictionary<string, object?> Attributes { get; init; } = OtlpValues.Empty;

    /// <summary>The status code.</summary>
    public ActivityStatusCode Status { get; init; }

    /// <summary>The status description, empty when none was sent.</summary>
    public string StatusMessage { get; init; } = "";

    /// <summary>The span's events, in the order sent (an exception is an event named <c>exception</c>).</summary>
    public IReadOnlyList<OtlpSpanEvent> Events { get; init; } = [];

    /// <summary>The span's links, in the order sent.</summary>
    public IReadOnlyList<OtlpSpanLink> Links { get; init; } = [];

    /// <summary>The W3C trace flags and OTLP's parent-is-remote bits (<c>Span.flags</c>).</summary>
    public uint Flags { get; init; }

    /// <summary>The instrumentation scope's name: the <see cref="ActivitySource"/>'s name.</summary>
    public string ScopeName { get; init; } = "";

    /// <summary>The instrumentation scope's version.</summary>
    public string ScopeVersion { get; init; } = "";

    /// <summary>The resource's attributes (<c>service.name</c> and so on).</summary>
    public IReadOnlyDictionary<string, object?> Resource { get; init; } = OtlpValues.Empty;

    /// <summary>True when the span has no parent.</summary>
    public bool IsRoot => ParentSpanId.Length == 0;

    /// <summary>The attribute's value as a string (invariant culture), or null when the span does not have it.</summary>
    /// <param name="key">The attribute's key.</param>
    public string? Attribute(string key) => OtlpValues.Format(Attributes, key);

    /// <summary>One line for a failure message: name, kind, ids, parent, status.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name} [{Kind}] trace {TraceId} span {SpanId} parent {(IsRoot ? "(root)" : ParentSpanId)} scope '{ScopeName}' status {Status}{(StatusMessage.Length > 0 ? " '" + StatusMessage + "'" : "")}");
}
