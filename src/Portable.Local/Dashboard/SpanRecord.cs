namespace Portable.Local.Dashboard;

/// <summary>One finished span of the <c>Portable</c> activity source, as the dashboard shows it.</summary>
/// <param name="Seq">The order in which the recorder saw it stop (1, 2, ...); <c>?after=</c> pages on it.</param>
/// <param name="TraceId">The W3C trace id.</param>
/// <param name="SpanId">The span id.</param>
/// <param name="ParentSpanId">The parent span id, or null for a root.</param>
/// <param name="Name">The span name (the function name, or <c>send order-placed</c>).</param>
/// <param name="Kind">server, consumer, producer, internal or client.</param>
/// <param name="Start">When it started.</param>
/// <param name="DurationMs">How long it took, in milliseconds.</param>
/// <param name="Function">The invoked function (<c>faas.invoked_name</c>), or null for a span that is not an invocation.</param>
/// <param name="Trigger">The function's trigger (<c>faas.trigger</c>: http, pubsub, timer, datasource).</param>
/// <param name="Attempt">The delivery attempt of a queue or topic message.</param>
/// <param name="Outcome">success, invalid_input or error.</param>
/// <param name="InvocationId">The invocation id (<c>faas.invocation_id</c>).</param>
/// <param name="Destination">The queue or topic (<c>messaging.destination.name</c>).</param>
/// <param name="Error">The status description of a failed span, or null.</param>
internal sealed record SpanRecord(
    long Seq,
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    DateTimeOffset Start,
    double DurationMs,
    string? Function,
    string? Trigger,
    int? Attempt,
    string Outcome,
    string? InvocationId,
    string? Destination,
    string? Error);
