namespace Portable.Contracts.Otlp;

/// <summary>One log record as an OTLP exporter sent it.</summary>
public sealed record OtlpLogRecord
{
    /// <summary>The body as a string (a structured body is formatted), empty when none was sent.</summary>
    public string Body { get; init; } = "";

    /// <summary>The severity text (for example <c>Information</c>).</summary>
    public string SeverityText { get; init; } = "";

    /// <summary>OTLP's severity number (9 is INFO, 17 is ERROR).</summary>
    public int SeverityNumber { get; init; }

    /// <summary>The trace id the record was written in, 32 lower-case hex digits, or empty.</summary>
    public string TraceId { get; init; } = "";

    /// <summary>The span id the record was written in, 16 lower-case hex digits, or empty.</summary>
    public string SpanId { get; init; } = "";

    /// <summary>When the record was written.</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>The record's attributes, typed as <see cref="OtlpSpan.Attributes"/> are.</summary>
    public IReadOnlyDictionary<string, object?> Attributes { get; init; } = OtlpValues.Empty;

    /// <summary>The instrumentation scope's name: the logger's category.</summary>
    public string ScopeName { get; init; } = "";

    /// <summary>One line for a failure message.</summary>
    public override string ToString() => $"[{SeverityText}] {Body} (trace {(TraceId.Length == 0 ? "-" : TraceId)}, span {(SpanId.Length == 0 ? "-" : SpanId)})";
}
