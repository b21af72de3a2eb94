using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Portable.Gcp.PubSub;

/// <summary>
/// The message attributes Portable uses for the <see cref="Notification"/> fields Pub/Sub has no place for, and for the trace
/// context a message carries: <c>googclient_traceparent</c> / <c>googclient_tracestate</c>, the names Google's own Pub/Sub client
/// libraries write and read when OpenTelemetry tracing is on, so a trace crosses between Portable and those clients either way.
/// </summary>
internal static class PubSubAttributes
{
    public const string Subject = "portable-subject";
    public const string DeduplicationId = "portable-deduplication-id";
    public const string TraceParent = "googclient_traceparent";
    public const string TraceState = "googclient_tracestate";

    /// <summary>The plain W3C names, read (never written) for publishers that carry the context under them.</summary>
    public const string PlainTraceParent = "traceparent";
    public const string PlainTraceState = "tracestate";

    /// <summary>Pub/Sub's limits: at most 100 attributes a message, each value at most 1024 bytes.</summary>
    public const int MaxAttributes = 100;
    public const int MaxValueBytes = 1024;

    /// <summary>
    /// Adds the trace context to a message's attributes, within Pub/Sub's limits: the <c>tracestate</c> only when it fits in a
    /// value, and nothing when the message already has no room for both attributes (its own attributes come first).
    /// </summary>
    public static void AddTrace(Dictionary<string, string> attributes, TraceContext? context)
    {
        if (context is null) return;
        var state = context.TraceState is { Length: > 0 } s && Encoding.UTF8.GetByteCount(s) <= MaxValueBytes ? s : null;
        var needed = (attributes.ContainsKey(TraceParent) ? 0 : 1) + (state is null || attributes.ContainsKey(TraceState) ? 0 : 1);
        if (attributes.Count + needed > MaxAttributes) return;
        attributes[TraceParent] = context.TraceParent;
        if (state is not null) attributes[TraceState] = state;
        else attributes.Remove(TraceState);
    }

    /// <summary>The trace context a message carries: Google's client-library attributes, else plain <c>traceparent</c>; null when neither is valid.</summary>
    public static TraceContext? ReadTrace(IReadOnlyDictionary<string, string> attributes)
    {
        if (attributes.TryGetValue(TraceParent, out var google) && TraceContext.TryParse(google, attributes.GetValueOrDefault(TraceState), out var context)) return context;
        return attributes.TryGetValue(PlainTraceParent, out var plain) && TraceContext.TryParse(plain, attributes.GetValueOrDefault(PlainTraceState), out context) ? context : null;
    }

    /// <summary>
    /// The trace context of a CloudEvent: its <c>traceparent</c> extension (CloudEvents distributed tracing, as Eventarc sets it),
    /// else, for a <c>messagePublished</c> event, its message's attributes; null when it has none.
    /// </summary>
    public static TraceContext? ReadTrace(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        if (cloudEvent.Extensions is { } extensions
            && extensions.TryGetValue(PlainTraceParent, out var parent) && parent.ValueKind == JsonValueKind.String
            && TraceContext.TryParse(parent.GetString(), extensions.TryGetValue(PlainTraceState, out var state) && state.ValueKind == JsonValueKind.String ? state.GetString() : null, out var context))
        {
            return context;
        }

        if (cloudEvent.Data is not { ValueKind: JsonValueKind.Object } data
            || !data.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("attributes", out var attributes) || attributes.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? Attribute(string name) => attributes.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (TraceContext.TryParse(Attribute(TraceParent), Attribute(TraceState), out context)) return context;
        return TraceContext.TryParse(Attribute(PlainTraceParent), Attribute(PlainTraceState), out context) ? context : null;
    }

    /// <summary>Starts the producer span of a send or publish (when something listens) and returns it with the attributes to carry.</summary>
    public static Activity? StartProducer(string operation, string destination, Dictionary<string, string> attributes)
    {
        var producer = Hosting.PortableTelemetry.StartProducer(operation, "gcp_pubsub", destination);
        AddTrace(attributes, Hosting.PortableTelemetry.ContextToSend(producer));
        return producer;
    }
}
