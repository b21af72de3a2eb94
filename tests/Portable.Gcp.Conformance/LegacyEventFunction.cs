using System.Text.Json;

namespace Portable.Gcp.Conformance;

/// <summary><c>legacyevent</c>: writes <c>{"data":…,"context":{…}}</c>, the legacy shape of the event it received, to function_output.json.</summary>
internal sealed class LegacyEventFunction : IEventHandler<CloudEvent>
{
    public async Task HandleAsync(CloudEvent @event, FunctionContext context, CancellationToken cancellationToken)
    {
        var legacy = context.GetLegacyEvent(@event);
        var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WritePropertyName("data");
            if (legacy.Data is { } data) data.WriteTo(json);
            else json.WriteNullValue();
            json.WriteStartObject("context");
            json.WriteString("eventId", legacy.Context.EventId);
            json.WriteString("timestamp", legacy.Context.Timestamp);
            json.WriteString("eventType", legacy.Context.EventType);
            json.WritePropertyName("resource");
            legacy.Context.Resource.WriteTo(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        await File.WriteAllBytesAsync(ConformanceApp.OutputFile, buffer.ToArray(), cancellationToken);
    }
}
