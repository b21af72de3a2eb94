using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Portable.Gcp.Events;

/// <summary>
/// Converts a legacy (GCF background) event to the CloudEvent that Cloud Run functions would deliver for it, by the rules of the
/// Functions Framework conformance data: the type from <see cref="EventMapping"/>, the source and subject split from the
/// resource name, and the few payload changes (Pub/Sub message id and publish time, Firebase Auth metadata names).
/// </summary>
internal static partial class LegacyEventConverter
{
    /// <summary>Reads the legacy event's own fields, accepting both the flat shape and the <c>context</c> shape.</summary>
    public static LegacyEvent Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidInputException("A legacy event is a JSON object.");
        var context = root.TryGetProperty("context", out var c) && c.ValueKind == JsonValueKind.Object ? c : root;
        var eventId = Text(context, "eventId") ?? Text(context, "event_id") ?? Text(root, "eventId");
        var eventType = Text(context, "eventType") ?? Text(context, "event_type") ?? Text(root, "eventType");
        var timestamp = Text(context, "timestamp") ?? Text(root, "timestamp");
        if (string.IsNullOrEmpty(eventId)) throw new InvalidInputException("context.eventId", "A legacy event needs an eventId.");
        if (string.IsNullOrEmpty(eventType)) throw new InvalidInputException("context.eventType", "A legacy event needs an eventType.");
        var resource = context.TryGetProperty("resource", out var r) ? r.Clone()
            : root.TryGetProperty("resource", out r) ? r.Clone()
            : throw new InvalidInputException("context.resource", "A legacy event needs a resource.");
        JsonElement? data = root.TryGetProperty("data", out var d) ? d.Clone() : null;
        return new LegacyEvent(data, new LegacyEventContext(eventId, timestamp, eventType, resource));
    }

    /// <summary>Converts a legacy event request body to a CloudEvent.</summary>
    /// <exception cref="InvalidInputException">The event cannot be converted; the message says why.</exception>
    public static CloudEvent ToCloudEvent(JsonElement root)
    {
        var legacy = Read(root);
        var domain = root.ValueKind == JsonValueKind.Object ? Text(root, "domain") : null;
        return ToCloudEvent(legacy, domain);
    }

    private static CloudEvent ToCloudEvent(LegacyEvent legacy, string? domain)
    {
        var context = legacy.Context;
        var (resourceName, resourceService) = context.Resource.ValueKind switch
        {
            JsonValueKind.String => (context.Resource.GetString()!, null),
            JsonValueKind.Object => (Text(context.Resource, "name") ?? throw new InvalidInputException("context.resource.name", "The resource has no name."), Text(context.Resource, "service")),
            _ => throw new InvalidInputException("context.resource", "The resource is neither a string nor an object."),
        };
        if (!EventMapping.ToCloudEvent.TryGetValue(context.EventType, out var mapped))
        {
            throw new InvalidInputException("context.eventType", $"The legacy event type '{context.EventType}' has no CloudEvent equivalent this adapter knows.");
        }

        var (type, service) = mapped;
        service = resourceService ?? service;
        var data = legacy.Data is { } d ? JsonNode.Parse(d.GetRawText()) : null;
        string source;
        string? subject = null;
        var extensions = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        switch (mapped.Service)
        {
            case EventMapping.PubSubService:
                source = $"//{service}/{resourceName}";
                if (data is not (null or JsonObject)) throw new InvalidInputException("data", "The data of a Pub/Sub legacy event is the message, a JSON object.");
                var message = data as JsonObject ?? [];
                message["messageId"] = context.EventId;
                if (context.Timestamp is not null) message["publishTime"] = context.Timestamp;
                data = new JsonObject { ["message"] = message };
                extensions["topic"] = StringElement(resourceName[(resourceName.LastIndexOf('/') + 1)..]);
                break;
            case EventMapping.StorageService:
                var storage = StorageResource().Match(resourceName);
                if (!storage.Success) throw Unsplittable(resourceName, "projects/_/buckets/BUCKET/objects/NAME");
                source = $"//{service}/{storage.Groups[1].Value}";
                subject = storage.Groups[3].Value;
                extensions["bucket"] = StringElement(storage.Groups[2].Value);
                break;
            case EventMapping.FirestoreService:
                var firestore = FirestoreResource().Match(resourceName);
                if (!firestore.Success) throw Unsplittable(resourceName, "projects/P/databases/D/documents/PATH");
                source = $"//{service}/{firestore.Groups[1].Value}";
                subject = firestore.Groups[2].Value;
                break;
            case EventMapping.AuthService:
                source = $"//{service}/{resourceName}";
                if (data is JsonObject user)
                {
                    if (user["uid"] is JsonValue uid && uid.TryGetValue<string>(out var id)) subject = "users/" + id;
                    if (user["metadata"] is JsonObject metadata)
                    {
                        Rename(metadata, "createdAt", "createTime");
                        Rename(metadata, "lastSignedInAt", "lastSignInTime");
                    }
                }

                break;
            case EventMapping.DatabaseService:
                var database = DatabaseResource().Match(resourceName);
                if (!database.Success) throw Unsplittable(resourceName, "projects/_/instances/INSTANCE/refs/PATH");
                source = $"//{service}/projects/_/locations/{DatabaseLocation(domain)}/{database.Groups[1].Value}";
                subject = database.Groups[2].Value;
                break;
            case EventMapping.AnalyticsService:
                var analytics = AnalyticsResource().Match(resourceName);
                if (!analytics.Success) throw Unsplittable(resourceName, "projects/P/events/EVENT");
                var appId = data?["userDim"]?["appInfo"]?["appId"] is JsonValue app && app.TryGetValue<string>(out var a) ? a : null;
                if (string.IsNullOrEmpty(appId))
                    throw new InvalidInputException("data.userDim.appInfo.appId", "A Firebase Analytics event needs data.userDim.appInfo.appId to name its source.");
                source = $"//{service}/{analytics.Groups[1].Value}/apps/{appId}";
                subject = "events/" + analytics.Groups[2].Value;
                break;
            default:
                source = $"//{service}/{resourceName}";
                break;
        }

        return new CloudEvent
        {
            Id = context.EventId,
            Source = source,
            Type = type,
            Subject = subject,
            Time = ParseTime(context.Timestamp),
            DataContentType = "application/json",
            Data = data is null ? null : JsonDocument.Parse(data.ToJsonString()).RootElement.Clone(),
            Extensions = extensions.Count == 0 ? null : extensions,
        };
    }

    public static DateTimeOffset? ParseTime(string? timestamp)
    {
        if (string.IsNullOrEmpty(timestamp)) return null;
        var text = timestamp;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            // RFC 3339 allows nanoseconds; .NET keeps 7 fractional digits.
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
            if (end - dot - 1 > 7) text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new InvalidInputException("context.timestamp", $"'{timestamp}' is not an RFC 3339 time.");
    }

    internal static string? Text(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static JsonElement StringElement(string value)
    {
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(value, GcpJsonContext.Default.String));
        return document.RootElement.Clone();
    }

    internal static void Rename(JsonObject target, string from, string to)
    {
        if (target[from] is not { } value) return;
        target.Remove(from);
        target[to] = value;
    }

    private static string DatabaseLocation(string? domain)
    {
        if (domain is null or "firebaseio.com") return "us-central1";
        const string suffix = ".firebasedatabase.app";
        if (domain.EndsWith(suffix, StringComparison.Ordinal) && domain.Length > suffix.Length) return domain[..^suffix.Length];
        throw new InvalidInputException("domain", $"The Realtime Database domain '{domain}' names no location (firebaseio.com or REGION.firebasedatabase.app).");
    }

    private static InvalidInputException Unsplittable(string resource, string shape)
        => new("context.resource", $"The resource '{resource}' is not of the form {shape}.");

    [GeneratedRegex(@"^(projects/_/buckets/([^/]+))/(objects/[^#]+)(#\d+)?$")]
    private static partial Regex StorageResource();

    [GeneratedRegex(@"^(projects/[^/]+/databases/[^/]+)/(documents/.+)$")]
    private static partial Regex FirestoreResource();

    [GeneratedRegex(@"^projects/_/(instances/[^/]+)/(refs/.+)$")]
    private static partial Regex DatabaseResource();

    [GeneratedRegex(@"^(projects/[^/]+)/events/([^/]+)$")]
    private static partial Regex AnalyticsResource();
}
