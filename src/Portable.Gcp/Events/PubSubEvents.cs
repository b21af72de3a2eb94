using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portable.Hosting;

namespace Portable.Gcp.Events;

/// <summary>
/// Pub/Sub deliveries: a push envelope (<c>{"subscription":…,"message":{…}}</c>) becomes a <c>messagePublished</c> CloudEvent
/// whose source is the topic named by the request path <c>/projects/P/topics/T</c> (as the .NET Functions Framework does), and a
/// <c>messagePublished</c> CloudEvent yields the message a queue or topic function is given.
/// </summary>
internal static partial class PubSubEvents
{
    public const string UnknownTopicSource = "//pubsub.googleapis.com/projects/unknown-project!/topics/unknown-topic!";

    /// <summary>Pooled message data: one pool for every thread, at most two arrays of a size (see KestrelHttp's body pool).</summary>
    private static readonly ArrayPool<byte> DataPool = ArrayPool<byte>.Create(Array.MaxLength, 2);

    public static bool IsPushEnvelope(JsonElement root)
        => root.ValueKind == JsonValueKind.Object
           && root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
           && !root.TryGetProperty("context", out _) && !root.TryGetProperty("eventType", out _);

    public static CloudEvent FromPushEnvelope(JsonElement root, string path)
    {
        var message = root.GetProperty("message");
        var id = LegacyEventConverter.Text(message, "messageId") ?? LegacyEventConverter.Text(message, "message_id");
        if (string.IsNullOrEmpty(id)) throw new InvalidInputException("message.messageId", "A Pub/Sub push message needs a non-empty messageId.");
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

    /// <summary>
    /// The Pub/Sub message a queue, topic or schedule function is given, from a request in any shape. A push envelope, the
    /// common case, is read straight from the request body: its <c>message.data</c> is decoded from the body's bytes into one
    /// array, and nothing else of the envelope is copied.
    /// </summary>
    /// <exception cref="InvalidInputException">The request is no Pub/Sub message, or the message is malformed.</exception>
    /// <param name="request">The request.</param>
    /// <param name="pooled">Whether the data may be decoded into a pooled array (<see cref="PubSubMessage.Rented"/>), for a caller that returns it with <see cref="Release"/> and keeps nothing of the data.</param>
    /// <param name="inPlace">
    /// Whether the data may be decoded where it lies in the request's body: the body is the host's scratch buffer, kept only
    /// until the function returns, and nothing reads the envelope's <c>data</c> after this. A 32 MiB push then costs its body
    /// and what the function makes of the data, not a second copy of the data.
    /// </param>
    public static PubSubMessage ReadMessage(HttpRequestData request, bool pooled, bool inPlace = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (GcpEventReader.IsBinaryCloudEvent(request) || GcpEventReader.IsStructuredCloudEvent(request)) return ToMessage(GcpEventReader.Read(request).CloudEvent, pooled);
        using var document = GcpEventReader.ParseBody(request.Body);
        var root = document.RootElement;
        return IsPushEnvelope(root)
            ? FromMessage(root, root.GetProperty("message"), "message", null, null, pooled, inPlace ? MemoryMarshal.AsMemory(request.Body) : default)
            : ToMessage(GcpEventReader.ReadJson(root, request.Path).CloudEvent, pooled);
    }

    /// <summary>Returns the pooled array of a message read with <c>pooled</c>; the message's data must not be used after.</summary>
    public static void Release(PubSubMessage message)
    {
        if (message.Rented is { } rented) DataPool.Return(rented);
    }

    /// <summary>The message of a <c>messagePublished</c> event.</summary>
    /// <exception cref="InvalidInputException">The event is of another type, or its message is malformed.</exception>
    public static PubSubMessage ToMessage(CloudEvent cloudEvent, bool pooled = false)
    {
        if (!string.Equals(cloudEvent.Type, EventMapping.MessagePublished, StringComparison.Ordinal))
            throw new InvalidInputException("type", $"A queue or topic function takes Pub/Sub messages ({EventMapping.MessagePublished}), not '{cloudEvent.Type}'.");
        if (cloudEvent.Data is not { ValueKind: JsonValueKind.Object } data || !data.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
            throw new InvalidInputException("data.message", "The Pub/Sub event has no message object.");
        return FromMessage(data, message, "data.message", cloudEvent.Id, cloudEvent.Time, pooled) with { Trace = PubSub.PubSubAttributes.ReadTrace(cloudEvent) };
    }

    /// <summary>Reads a message and its envelope (subscription, delivery attempt), refusing any member of the wrong type.</summary>
    private static PubSubMessage FromMessage(JsonElement envelope, JsonElement message, string path, string? fallbackId, DateTimeOffset? fallbackTime, bool pooled, Memory<byte> scratch = default)
    {
        if (message.ValueKind != JsonValueKind.Object) throw new InvalidInputException(path, "The Pub/Sub message is not a JSON object.");
        var body = ReadOnlyMemory<byte>.Empty;
        byte[]? rented = null;
        if (message.TryGetProperty("data", out var encoded) && encoded.ValueKind != JsonValueKind.Null)
        {
            if (encoded.ValueKind != JsonValueKind.String) throw new InvalidInputException(path + ".data", "The Pub/Sub message data is not a base64 string.");
            body = (scratch.IsEmpty ? DecodeBase64(encoded, pooled, out rented) : DecodeBase64InPlace(encoded, scratch))
                ?? throw new InvalidInputException(path + ".data", "The Pub/Sub message data is not base64.");
        }

        try
        {
            return FromMessage(envelope, message, path, fallbackId, fallbackTime, body) with { Rented = rented };
        }
        catch when (rented is not null)
        {
            DataPool.Return(rented);
            throw;
        }
    }

    private static PubSubMessage FromMessage(JsonElement envelope, JsonElement message, string path, string? fallbackId, DateTimeOffset? fallbackTime, ReadOnlyMemory<byte> body)
    {

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (message.TryGetProperty("attributes", out var attrs) && attrs.ValueKind != JsonValueKind.Null)
        {
            if (attrs.ValueKind != JsonValueKind.Object) throw new InvalidInputException(path + ".attributes", "The Pub/Sub message attributes are not a JSON object.");
            foreach (var attribute in attrs.EnumerateObject())
            {
                var field = $"{path}.attributes.{attribute.Name}";
                attributes[attribute.Name] = attribute.Value.ValueKind == JsonValueKind.String
                    ? Text(attribute.Value, field)
                    : throw new InvalidInputException(field, "A Pub/Sub attribute value is not a string.");
            }
        }

        var attempt = 1;
        if (envelope.TryGetProperty("deliveryAttempt", out var a) && a.ValueKind != JsonValueKind.Null
            && (a.ValueKind != JsonValueKind.Number || !a.TryGetInt32(out attempt) || attempt < 1))
        {
            throw new InvalidInputException("deliveryAttempt", "The delivery attempt is not a positive whole number.");
        }

        // Pub/Sub always sets the id; an empty one would be an invocation without an id, so it is the sender's error.
        var id = OptionalText(message, "messageId", path) ?? OptionalText(message, "message_id", path) ?? fallbackId;
        if (string.IsNullOrEmpty(id)) throw new InvalidInputException(path + ".messageId", "A Pub/Sub push message needs a non-empty messageId.");
        var published = OptionalText(message, "publishTime", path) ?? OptionalText(message, "publish_time", path);
        return new PubSubMessage(body, attributes, id, LegacyEventConverter.ParseTime(published) ?? fallbackTime, OptionalText(envelope, "subscription", null), attempt);
    }

    /// <summary>Decodes a base64 JSON string where it lies in <paramref name="scratch"/> (the bytes the document was parsed from); null when it is not base64.</summary>
    private static ReadOnlyMemory<byte>? DecodeBase64InPlace(JsonElement encoded, Memory<byte> scratch)
    {
        var raw = JsonMarshal.GetRawUtf8Value(encoded)[1..^1]; // without the quotes
        if (!scratch.Span.Overlaps(raw, out var offset)) return DecodeBase64(encoded, pooled: false, out _);
        var content = scratch.Slice(offset, raw.Length);
        var length = JsonStrings.DecodeBase64InPlace(content.Span);
        if (length < 0) return null;
        return content[..length];
    }

    /// <summary>
    /// Decodes a base64 JSON string into one array of the exact size, straight from the document's bytes; only a string with
    /// JSON escapes (rare in base64) is unescaped first. Null when it is not base64.
    /// </summary>
    private static ReadOnlyMemory<byte>? DecodeBase64(JsonElement encoded, bool pooled, out byte[]? rented)
    {
        rented = null;
        var raw = JsonMarshal.GetRawUtf8Value(encoded);
        raw = raw[1..^1]; // the quotes
        if (raw.Contains((byte)'\\')) return encoded.TryGetBytesFromBase64(out var unescaped) ? unescaped : null;
        if (raw.Length % 4 != 0) return null;
        var padding = raw.IsEmpty ? 0 : raw[^1] != '=' ? 0 : raw[^2] != '=' ? 1 : 2;
        var length = raw.Length / 4 * 3 - padding;
        pooled &= length > 0;
        var bytes = pooled ? DataPool.Rent(length) : GC.AllocateUninitializedArray<byte>(length);
        var status = Base64.DecodeFromUtf8(raw, bytes.AsSpan(0, length), out var consumed, out var written);
        if (status == OperationStatus.Done && consumed == raw.Length && written == length)
        {
            if (pooled) rented = bytes;
            return bytes.AsMemory(0, length);
        }

        if (pooled) DataPool.Return(bytes);
        return null;
    }

    private static string? OptionalText(JsonElement element, string name, string? path)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        var field = path is null ? name : path + "." + name;
        return value.ValueKind == JsonValueKind.String ? Text(value, field) : throw new InvalidInputException(field, $"'{name}' is not a string.");
    }

    private static string Text(JsonElement value, string field)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new InvalidInputException(field, "The text is not valid Unicode (invalid UTF-8 or a lone surrogate).");
        }
    }

    [GeneratedRegex(@"^/projects/([^/]+)/topics/([^/]+)/?$")]
    private static partial Regex TopicPath();
}
