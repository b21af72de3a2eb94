using System.Net.Mime;
using System.Text.Unicode;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using SdkCloudEvent = CloudNative.CloudEvents.CloudEvent;

namespace Portable.Gcp.Events;

/// <summary>
/// Reads an event request in any shape Cloud Run functions deliver: a CloudEvent in binary mode (<c>ce-*</c> headers, data as
/// the body) or structured mode (<c>application/cloudevents+json</c>), both decoded with CloudNative.CloudEvents; a legacy
/// background event; or a Pub/Sub push envelope. Anything else is the caller's error.
/// </summary>
internal static class GcpEventReader
{
    private const string HeaderPrefix = "ce-";
    private static readonly JsonEventFormatter Formatter = new();

    public static bool IsBinaryCloudEvent(HttpRequestData request) => request.Headers.Contains("ce-specversion");

    public static bool IsStructuredCloudEvent(HttpRequestData request)
        => request.ContentType?.StartsWith("application/cloudevents", StringComparison.OrdinalIgnoreCase) == true
           && request.ContentType?.StartsWith("application/cloudevents-batch", StringComparison.OrdinalIgnoreCase) != true;

    /// <summary>Reads the request as an event.</summary>
    /// <exception cref="InvalidInputException">The request is not an event in any known shape.</exception>
    public static IncomingEvent Read(HttpRequestData request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IsBinaryCloudEvent(request))
        {
            if (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true) RequireUtf8(request.Body.Span);
            return Checked(new IncomingEvent(ReadBinary(request), null, "binary"));
        }

        if (IsStructuredCloudEvent(request))
        {
            RequireUtf8(request.Body.Span);
            return Checked(new IncomingEvent(ReadStructured(request), null, "structured"));
        }

        using var document = ParseBody(request.Body);
        return ReadJson(document.RootElement, request.Path);
    }

    /// <summary>Reads a JSON body that is not a CloudEvent: a Pub/Sub push envelope or a legacy event. What it returns holds no reference to <paramref name="root"/>.</summary>
    /// <exception cref="InvalidInputException">The body is neither.</exception>
    public static IncomingEvent ReadJson(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new InvalidInputException("The request is not an event: send a CloudEvent, a legacy event or a Pub/Sub push envelope.");
        if (PubSubEvents.IsPushEnvelope(root)) return Checked(new IncomingEvent(PubSubEvents.FromPushEnvelope(root, path), null, "push"));
        if (root.TryGetProperty("specversion", out _))
            throw new InvalidInputException("The body looks like a structured CloudEvent, but its Content-Type is not application/cloudevents+json.");
        return Checked(new IncomingEvent(LegacyEventConverter.ToCloudEvent(root), LegacyEventConverter.Read(root), "legacy"));
    }

    /// <summary>
    /// Refuses a JSON body that is not valid UTF-8 (a CESU-8 surrogate, a stray 0xFF…): the JSON reader only checks the strings
    /// it is asked to decode, so bytes anywhere else would be accepted silently.
    /// </summary>
    /// <exception cref="InvalidInputException">The body is not valid UTF-8.</exception>
    public static void RequireUtf8(ReadOnlySpan<byte> body)
    {
        if (!Utf8.IsValid(body))
            throw new InvalidInputException("The request body is not valid UTF-8 (an invalid byte or an encoded surrogate); JSON must be UTF-8.");
    }

    /// <summary>An event without an id would be an invocation without one: the sender's error.</summary>
    private static IncomingEvent Checked(IncomingEvent incoming)
        => string.IsNullOrEmpty(incoming.CloudEvent.Id) ? throw new InvalidInputException("id", "The event has an empty id.") : incoming;

    public static JsonDocument ParseBody(ReadOnlyMemory<byte> body)
    {
        var bytes = body;
        if (bytes.Span.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        if (bytes.IsEmpty) throw new InvalidInputException("The request body is empty; an event was expected.");
        RequireUtf8(bytes.Span);
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"The request body is not JSON: {e.Message}", e);
        }
    }

    private static CloudEvent ReadBinary(HttpRequestData request)
    {
        var version = CloudEventsSpecVersion.FromVersionId(request.Headers["ce-specversion"])
            ?? throw new InvalidInputException("ce-specversion", $"CloudEvents spec version '{request.Headers["ce-specversion"]}' is not supported.");
        var sdk = new SdkCloudEvent(version);
        try
        {
            foreach (var (name, values) in request.Headers)
            {
                if (!name.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase) || values.Count == 0) continue;
                var attribute = name[HeaderPrefix.Length..].ToLowerInvariant();
                if (attribute == "specversion") continue;
                sdk.SetAttributeFromString(attribute, Uri.UnescapeDataString(values[0]));
            }

            if (request.Headers["Content-Type"] is { Length: > 0 } contentType) sdk.DataContentType = contentType;
            if (!request.Body.IsEmpty) Formatter.DecodeBinaryModeEventData(request.Body, sdk);
            sdk.Validate();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or JsonException or FormatException)
        {
            throw new InvalidInputException($"The binary-mode CloudEvent cannot be read: {e.Message}", e);
        }

        return Map(sdk);
    }

    private static CloudEvent ReadStructured(HttpRequestData request)
    {
        try
        {
            var body = request.Body;
            if (body.Span.StartsWith("\uFEFF"u8)) body = body[3..];
            var sdk = Formatter.DecodeStructuredModeMessage(body, new ContentType(request.Headers["Content-Type"]!), null);
            return Map(sdk);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or JsonException or FormatException)
        {
            throw new InvalidInputException($"The structured-mode CloudEvent cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Maps the SDK's event to Portable's: JSON data stays JSON, text becomes a JSON string, bytes a base64 string.</summary>
    internal static CloudEvent Map(SdkCloudEvent sdk)
    {
        Dictionary<string, JsonElement>? extensions = null;
        foreach (var (attribute, value) in sdk.GetPopulatedAttributes())
        {
            if (!attribute.IsExtension) continue;
            extensions ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            var text = attribute.Format(value);
            extensions[attribute.Name] = attribute.Type == CloudEventAttributeType.Integer || attribute.Type == CloudEventAttributeType.Boolean
                ? JsonDocument.Parse(text.ToLowerInvariant()).RootElement.Clone()
                : LegacyEventConverter.StringElement(text);
        }

        return new CloudEvent
        {
            Id = sdk.Id!,
            Source = sdk.Source!.OriginalString,
            Type = sdk.Type!,
            SpecVersion = sdk.SpecVersion.VersionId,
            Subject = sdk.Subject,
            Time = sdk.Time,
            DataContentType = sdk.DataContentType,
            DataSchema = sdk.DataSchema?.OriginalString,
            Data = sdk.Data switch
            {
                null => null,
                JsonElement json => json.Clone(),
                string text => LegacyEventConverter.StringElement(text),
                byte[] bytes => LegacyEventConverter.StringElement(Convert.ToBase64String(bytes)),
                var other => LegacyEventConverter.StringElement(other.ToString() ?? ""),
            },
            Extensions = extensions,
        };
    }
}
