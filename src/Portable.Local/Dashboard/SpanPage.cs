namespace Portable.Local.Dashboard;

/// <summary>An answer of <c>GET /_portable/api/invocations</c> or <c>GET /_portable/api/traces/{id}</c>.</summary>
/// <param name="Last">The highest <see cref="SpanRecord.Seq"/> recorded so far: poll again with <c>?after=</c> it.</param>
/// <param name="Capacity">How many spans the recorder keeps (older ones are dropped).</param>
/// <param name="Spans">The spans, newest first for invocations, by start time for a trace.</param>
internal sealed record SpanPage(long Last, int Capacity, IReadOnlyList<SpanRecord> Spans);
