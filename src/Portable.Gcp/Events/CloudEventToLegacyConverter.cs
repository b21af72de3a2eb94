using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portable.Gcp.Events;

/// <summary>
/// Converts a CloudEvent back to the legacy shape, for functions of signature type <c>event</c>: the legacy type, a resource
/// rebuilt from the source and subject (an object for Pub/Sub and Storage, a string otherwise), and the payload changes undone.
/// </summary>
internal static class CloudEventToLegacyConverter
{
    public static LegacyEvent Convert(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        if (!EventMapping.ToLegacy.TryGetValue(cloudEvent.Type, out var legacyType))
        {
            throw new InvalidInputException("type", $"The CloudEvent type '{cloudEvent.Type}' has no legacy equivalent this adapter knows.");
        }

        var (service, path) = SplitSource(cloudEvent.Source);
        var data = cloudEvent.Data is { } d ? JsonNode.Parse(d.GetRawText()) : null;
        var subject = cloudEvent.Subject;
        JsonNode resource;
        switch (EventMapping.ToCloudEvent[legacyType].Service)
        {
            case EventMapping.PubSubService:
                resource = new JsonObject { ["service"] = service, ["name"] = path, ["type"] = EventMapping.PubSubMessageType };
                var message = data?["message"] as JsonObject ?? [];
                message.Parent?.AsObject().Remove("message");
                message.Remove("messageId");
                message.Remove("publishTime");
                message.Remove("message_id");
                message.Remove("publish_time");
                if (!message.ContainsKey("@type")) message.Insert(0, "@type", EventMapping.PubSubMessageType);
                data = message;
                break;
            case EventMapping.StorageService:
                var kind = data?["kind"] is JsonValue k && k.TryGetValue<string>(out var text) ? text : "storage#object";
                resource = new JsonObject { ["service"] = service, ["name"] = Join(path, subject), ["type"] = kind };
                break;
            case EventMapping.AuthService:
                resource = JsonValue.Create(path);
                if (data?["metadata"] is JsonObject metadata)
                {
                    LegacyEventConverter.Rename(metadata, "createTime", "createdAt");
                    LegacyEventConverter.Rename(metadata, "lastSignInTime", "lastSignedInAt");
                }

                break;
            case EventMapping.DatabaseService:
                var parts = path.Split('/');
                var withoutLocation = parts.Length > 4 && parts[2] == "locations" ? string.Join('/', parts.Take(2).Concat(parts.Skip(4))) : path;
                resource = JsonValue.Create(Join(withoutLocation, subject));
                break;
            case EventMapping.AnalyticsService:
                var apps = path.IndexOf("/apps/", StringComparison.Ordinal);
                resource = JsonValue.Create(Join(apps > 0 ? path[..apps] : path, subject));
                break;
            case EventMapping.RemoteConfigService:
                resource = new JsonObject { ["service"] = service, ["name"] = path };
                break;
            default:
                resource = JsonValue.Create(Join(path, subject));
                break;
        }

        var resourceElement = JsonDocument.Parse(resource.ToJsonString()).RootElement.Clone();
        JsonElement? dataElement = data is null ? null : JsonDocument.Parse(data.ToJsonString()).RootElement.Clone();
        return new LegacyEvent(dataElement, new LegacyEventContext(cloudEvent.Id, FormatTime(cloudEvent.Time), legacyType, resourceElement));
    }

    public static string? FormatTime(DateTimeOffset? time)
        => time?.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static (string Service, string Path) SplitSource(string source)
    {
        if (!source.StartsWith("//", StringComparison.Ordinal)) return ("", source);
        var slash = source.IndexOf('/', 2);
        return slash < 0 ? (source[2..], "") : (source[2..slash], source[(slash + 1)..]);
    }

    private static string Join(string path, string? subject) => string.IsNullOrEmpty(subject) ? path : path + "/" + subject;
}
