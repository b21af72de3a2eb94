using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portable.Gcp.Events;

/// <summary>
/// Pub/Sub deliveries: a push envelope (<c>{"subscription":…,"message":{…}}</c>) becomes a <c>messagePublished</c> CloudEvent
/// whose source is the topic named by the request path <c>/projects/P/topics/T</c> (as the .NET Functions Framework does), and a
/// <c>messagePublished</c> CloudEvent yields the message a queue or topic function is given.
/// </summary>
internal static partial class PubSubEvents
{
    public const string UnknownTopicSource = "//pubsub.googleapis.com/projects/unknown-project!/topics/unknown-topic!";

    public static bool IsPushEnvelope(JsonElement root)
        => root.ValueKind == JsonValueKind.Object
           && root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
           && !root.TryGetProperty("context", out _) && !root.TryGetProperty("eventType", out _);

    public static CloudEvent FromPushEnvelope(JsonElement root, string path)
    {
        var message = root.GetProperty("message");
        var id = LegacyEventConverter.Text(message, "messageId") ?? LegacyEventConverter.Text(message, "message_id")
            ?? throw new InvalidInputException("message.messageId", "A Pub/Sub push message needs a messageId.");
        var published = LegacyEventConverter.Text(message, "publishTime") ?? LegacyEventConverter.Text(message, "publish_time");
        var topic = TopicPath().Match(path);
        var extensions = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (topic.Success) extensions["topic"] = LegacyEventConverter.StringElement(topic.Groups[2].Value);
        return new CloudEvent
        {
            Id = id,
            Source = topic.Success ? $"//pubsub.googleapis.com/projects/{topic.Groups[1].Value}/topics/{topic.Groups[2].Value}" : UnknownTopicSource,
            Type = EventMapping.MessagePublished,
            Time = LegacyEventConverter.ParseTime(published),
            DataContentType = "application/json",
            Data = root.Clone(),
            Extensions = extensions.Count == 0 ? null : extensions,
        };
    }

    /// <summary>The message of a <c>messagePublished</c> event.</summary>
    /// <exception cref="InvalidInputException">The event is of another type, or its message is malformed.</exception>
    public static PubSubMessage ToMessage(CloudEvent cloudEvent)
    {
        if (!string.Equals(cloudEvent.Type, EventMapping.MessagePublished, StringComparison.Ordinal))
            throw new InvalidInputException("type", $"A queue or topic function takes Pub/Sub messages ({EventMapping.MessagePublished}), not '{cloudEvent.Type}'.");
        if (cloudEvent.Data is not { ValueKind: JsonValueKind.Object } data || !data.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
            throw new InvalidInputException("data.message", "The Pub/Sub event has no message.");

        ReadOnlyMemory<byte> body = ReadOnlyMemory<byte>.Empty;
        if (message.TryGetProperty("data", out var encoded) && encoded.ValueKind == JsonValueKind.String)
        {
            // Straight from the event's base64 to bytes, with no string between: the body is decoded once.
            if (!encoded.TryGetBytesFromBase64(out var bytes))
            {
                throw new InvalidInputException("message.data", "The Pub/Sub message data is not base64.");
            }

            body = bytes;
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (message.TryGetProperty("attributes", out var attrs) && attrs.ValueKind == JsonValueKind.Object)
        {
            foreach (var attribute in attrs.EnumerateObject())
            {
                if (attribute.Value.ValueKind == JsonValueKind.String) attributes[attribute.Name] = attribute.Value.GetString()!;
            }
        }

        var published = LegacyEventConverter.Text(message, "publishTime") ?? LegacyEventConverter.Text(message, "publish_time");
        var attempt = data.TryGetProperty("deliveryAttempt", out var a) && a.ValueKind == JsonValueKind.Number && a.TryGetInt32(out var n) && n > 0 ? n : 1;
        return new PubSubMessage(
            body,
            attributes,
            LegacyEventConverter.Text(message, "messageId") ?? LegacyEventConverter.Text(message, "message_id") ?? cloudEvent.Id,
            LegacyEventConverter.ParseTime(published) ?? cloudEvent.Time,
            LegacyEventConverter.Text(data, "subscription"),
            attempt);
    }

    [GeneratedRegex(@"^/projects/([^/]+)/topics/([^/]+)/?$")]
    private static partial Regex TopicPath();
}
