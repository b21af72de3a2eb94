using System.Globalization;
using System.Text.Json;

namespace Portable.Gcp.Conformance;

/// <summary><c>cloudevent</c>: writes the CloudEvent it received to function_output.json in the CloudEvents JSON format.</summary>
internal sealed class CloudEventFunction : IEventHandler<CloudEvent>
{
    public async Task HandleAsync(CloudEvent @event, FunctionContext context, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("specversion", @event.SpecVersion);
            json.WriteString("id", @event.Id);
            json.WriteString("source", @event.Source);
            json.WriteString("type", @event.Type);
            if (@event.Subject is not null) json.WriteString("subject", @event.Subject);
            if (@event.Time is { } time) json.WriteString("time", time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
            if (@event.DataContentType is not null) json.WriteString("datacontenttype", @event.DataContentType);
            if (@event.DataSchema is not null) json.WriteString("dataschema", @event.DataSchema);
            foreach (var (name, value) in @event.Extensions ?? new Dictionary<string, JsonElement>())
            {
                json.WritePropertyName(name);
                value.WriteTo(json);
            }

            if (@event.Data is { } data)
            {
                json.WritePropertyName("data");
                data.WriteTo(json);
            }

            json.WriteEndObject();
        }

        await File.WriteAllBytesAsync(ConformanceApp.OutputFile, buffer.ToArray(), cancellationToken);
    }
}
