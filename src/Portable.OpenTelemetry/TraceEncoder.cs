using System.Diagnostics;

namespace Portable.OpenTelemetry;

/// <summary>
/// Encodes stopped activities as an ExportTraceServiceRequest (opentelemetry/proto/collector/trace/v1 and trace/v1/trace.proto):
/// one ResourceSpans, one ScopeSpans per activity source (name and version), and per span its ids, trace state, parent, flags
/// (the W3C trace flags plus the has-is-remote and is-remote bits, as the SDK writes them), name, kind (ActivityKind + 1), start and
/// end times, attributes, events, links and status.
/// </summary>
internal static class TraceEncoder
{
    private const uint ContextHasIsRemote = 0x100;
    private const uint ContextIsRemote = 0x200;

    public static void Encode(ProtoWriter writer, IReadOnlyList<KeyValuePair<string, object>> resource, List<Activity> batch)
    {
        // Group by source, keeping each source's spans in the order they ended.
        batch.Sort(static (a, b) => string.CompareOrdinal(a.Source.Name, b.Source.Name) is var byName and not 0 ? byName : string.CompareOrdinal(a.Source.Version, b.Source.Version));
        writer.Begin(1); // ExportTraceServiceRequest.resource_spans
        OtlpCommon.Resource(writer, 1, resource);
        for (var i = 0; i < batch.Count;)
        {
            var source = batch[i].Source;
            writer.Begin(2); // ResourceSpans.scope_spans
            OtlpCommon.Scope(writer, 1, source.Name, source.Version);
            for (; i < batch.Count && batch[i].Source.Name == source.Name && batch[i].Source.Version == source.Version; i++) Span(writer, batch[i]);
            writer.End();
        }

        writer.End();
    }

    private static void Span(ProtoWriter writer, Activity activity)
    {
        Span<byte> id = stackalloc byte[16];
        writer.Begin(2); // ScopeSpans.spans
        activity.TraceId.CopyTo(id);
        writer.Bytes(1, id);
        activity.SpanId.CopyTo(id[..8]);
        writer.Bytes(2, id[..8]);
        writer.String(3, activity.TraceStateString);
        if (activity.ParentSpanId != default)
        {
            activity.ParentSpanId.CopyTo(id[..8]);
            writer.Bytes(4, id[..8]);
        }

        writer.String(5, activity.DisplayName);
        writer.Varint(6, (ulong)activity.Kind + 1);
        var start = OtlpCommon.Nanos(activity.StartTimeUtc);
        writer.Fixed64(7, start);
        writer.Fixed64(8, OtlpCommon.Nanos(activity.StartTimeUtc + activity.Duration));
        foreach (ref readonly var tag in activity.EnumerateTagObjects()) OtlpCommon.KeyValue(writer, 9, tag.Key, tag.Value);
        foreach (ref readonly var e in activity.EnumerateEvents())
        {
            writer.Begin(11);
            writer.Fixed64(1, OtlpCommon.Nanos(e.Timestamp.UtcDateTime));
            writer.String(2, e.Name);
            foreach (ref readonly var tag in e.EnumerateTagObjects()) OtlpCommon.KeyValue(writer, 3, tag.Key, tag.Value);
            writer.End();
        }

        foreach (ref readonly var link in activity.EnumerateLinks())
        {
            writer.Begin(13);
            link.Context.TraceId.CopyTo(id);
            writer.Bytes(1, id);
            link.Context.SpanId.CopyTo(id[..8]);
            writer.Bytes(2, id[..8]);
            writer.String(3, link.Context.TraceState);
            foreach (ref readonly var tag in link.EnumerateTagObjects()) OtlpCommon.KeyValue(writer, 4, tag.Key, tag.Value);
            writer.Fixed32(6, (uint)link.Context.TraceFlags | ContextHasIsRemote | (link.Context.IsRemote ? ContextIsRemote : 0));
            writer.End();
        }

        if (activity.Status != ActivityStatusCode.Unset)
        {
            writer.Begin(15);
            if (activity.Status == ActivityStatusCode.Error) writer.String(2, activity.StatusDescription);
            writer.Varint(3, activity.Status == ActivityStatusCode.Ok ? 1UL : 2UL);
            writer.End();
        }

        writer.Fixed32(16, (uint)activity.ActivityTraceFlags | ContextHasIsRemote | (activity.HasRemoteParent ? ContextIsRemote : 0));
        writer.End();
    }
}
