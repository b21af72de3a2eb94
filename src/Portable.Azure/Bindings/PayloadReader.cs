using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Portable.Hosting;

namespace Portable.Azure.Bindings;

/// <summary>
/// Maps the values of a custom-handler payload (<c>{"Data":…,"Metadata":…}</c>) onto Portable's trigger inputs: the HTTP
/// request of <c>Data.req</c>, a queue message and its metadata, a timer's <c>TimerInfo</c>, an Event Grid or CloudEvents
/// event, a blob. Reads <see cref="JsonElement"/>s only: no reflection.
/// </summary>
internal static class PayloadReader
{
    /// <summary>The trigger value: <c>Data[name]</c>, or the only value of <c>Data</c> when the binding has another name.</summary>
    public static JsonElement FindTrigger(JsonElement data, string name)
    {
        if (data.ValueKind != JsonValueKind.Object) throw new InvalidInputException("Data", "The payload's Data is not an object.");
        if (data.TryGetProperty(name, out var value)) return value;
        JsonElement? only = null;
        var count = 0;
        foreach (var property in data.EnumerateObject())
        {
            count++;
            only = property.Value;
        }

        return count == 1 ? only!.Value
            : throw new InvalidInputException("Data", $"The payload's Data has no '{name}' value{(count == 0 ? "" : $" and {count} others, so the trigger's is unknown")}.");
    }

    /// <summary>Like <see cref="FindTrigger"/>, without throwing.</summary>
    public static bool TryFindTrigger(JsonElement data, string name, out JsonElement value)
    {
        try
        {
            value = FindTrigger(data, name);
            return true;
        }
        catch (InvalidInputException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>
    /// The HTTP request of <c>Data.req</c>. Its body is the UTF-8 of the <c>Body</c> string: a slice of <paramref name="payload"/>,
    /// unescaped in place when it has escapes (never a copy nor a UTF-16 string of the whole body).
    /// </summary>
    /// <exception cref="InvalidInputException">A member is missing, of the wrong JSON type, or not valid text.</exception>
    public static HttpRequestData ReadHttpRequest(JsonElement req, string routePrefix, Memory<byte> payload = default)
    {
        if (req.ValueKind != JsonValueKind.Object) throw new InvalidInputException("Data.req", $"The HTTP request is {Describe(req)}, not an object.");
        var method = RequiredString(req, "Method", "Data.req.Method");
        if (!IsToken(method)) throw new InvalidInputException("Data.req.Method", $"The HTTP request's Method '{method}' is not an HTTP method.");
        var url = RequiredString(req, "Url", "Data.req.Url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.IsFile) throw new InvalidInputException("Data.req.Url", $"The HTTP request's Url '{url}' is not an absolute http(s) URL.");
        var request = new HttpRequestData(method, StripPrefix(uri.AbsolutePath, routePrefix)) { Body = ReadBody(req, payload) };
        if (TryGetProperty(req, "Headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in headers.EnumerateObject())
            {
                var name = NameOf(header, "Data.req.Headers");
                foreach (var value in Values(header.Value, "Data.req.Headers." + name)) request.Headers.Add(name, value);
            }
        }

        if (TryGetProperty(req, "Query", out var query) && query.ValueKind == JsonValueKind.Object)
        {
            foreach (var parameter in query.EnumerateObject())
            {
                var name = NameOf(parameter, "Data.req.Query");
                foreach (var value in Values(parameter.Value, "Data.req.Query." + name)) request.Query.Add(name, value);
            }
        }
        else
        {
            foreach (var (name, value) in ParseQuery(uri.Query)) request.Query.Add(name, value);
        }

        if (TryGetProperty(req, "Params", out var routeValues) && routeValues.ValueKind == JsonValueKind.Object)
        {
            foreach (var parameter in routeValues.EnumerateObject())
            {
                var name = NameOf(parameter, "Data.req.Params");
                if (parameter.Value.ValueKind == JsonValueKind.String) request.RouteValues[name] = Text(parameter.Value, "Data.req.Params." + name);
            }
        }

        return request;
    }

    /// <summary>The path without the host's route prefix: <c>/api/orders/1</c> becomes <c>/orders/1</c>.</summary>
    public static string StripPrefix(string path, string routePrefix)
    {
        if (routePrefix.Length == 0) return path.Length == 0 ? "/" : path;
        var prefix = "/" + routePrefix;
        if (path.Equals(prefix, StringComparison.OrdinalIgnoreCase)) return "/";
        return path.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase) ? path[prefix.Length..] : path;
    }

    /// <summary>
    /// A queue message as the host gives it (the host has already base64-decoded it, as <c>messageEncoding</c> says): a string (the
    /// message text) or, when the host parsed it, JSON. The bytes are a slice of <paramref name="payload"/> when they can be (JSON,
    /// a string without escapes, or a string unescaped in place): the message is never copied nor held as a UTF-16 string.
    /// </summary>
    /// <exception cref="InvalidInputException">The string is not valid UTF-8 or has a lone surrogate escape.</exception>
    public static ReadOnlyMemory<byte> ReadMessage(JsonElement item, Memory<byte> payload = default) => item.ValueKind switch
    {
        JsonValueKind.String => Utf8(item, payload, "Data.message"),
        JsonValueKind.Null or JsonValueKind.Undefined => ReadOnlyMemory<byte>.Empty,
        _ => Raw(item, payload),
    };

    /// <summary>
    /// The UTF-8 text of a JSON string: a slice of <paramref name="payload"/> (the bytes the document was parsed from, which the
    /// caller owns), unescaped in place when it has escapes (the text is never longer than its JSON), so no copy is made; a copy
    /// only for a value that is not in <paramref name="payload"/>. The document must not read this value again afterwards.
    /// </summary>
    /// <exception cref="InvalidInputException">The string is not valid UTF-8 or has a lone surrogate escape.</exception>
    public static ReadOnlyMemory<byte> Utf8(JsonElement value, Memory<byte> payload, string field)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value); // with its quotes
        var content = raw[1..^1];
        Memory<byte> text;
        if (payload.Span.Overlaps(content, out var offset))
        {
            text = payload.Slice(offset, content.Length);
        }
        else
        {
            text = content.ToArray();
        }

        if (content.IndexOf((byte)'\\') >= 0)
        {
            var length = JsonStrings.UnescapeInPlace(text.Span);
            text = length >= 0 ? text[..length] : throw NotText(field);
        }

        return System.Text.Unicode.Utf8.IsValid(text.Span) ? text : throw NotText(field);
    }

    /// <summary>An Event Grid event (Event Grid or CloudEvents 1.0 schema), given as an object or as JSON text, as a CloudEvent.</summary>
    public static CloudEvent ReadEvent(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var parsed = JsonDocument.Parse(Utf8(value, default, "Data.event"));
                return ReadEvent(parsed.RootElement.Clone());
            }
            catch (JsonException e)
            {
                throw new InvalidInputException("The event is a string that is not JSON.", e);
            }
        }

        if (value.ValueKind != JsonValueKind.Object) throw new InvalidInputException("Data.event", "The event is not a JSON object.");
        return TryGetProperty(value, "specversion", out _) || (!TryGetProperty(value, "eventType", out _) && TryGetProperty(value, "type", out _))
            ? ReadCloudEvent(value)
            : ReadEventGridEvent(value);
    }

    /// <summary>A blob trigger's value (base64 content) and metadata (<c>Uri</c>, <c>Properties</c>, <c>name</c>) as a <c>Microsoft.Storage.BlobCreated</c> CloudEvent.</summary>
    public static CloudEvent ReadBlob(JsonElement blob, JsonElement metadata, string fallbackId)
    {
        var uri = GetString(metadata, "Uri") ?? GetString(metadata, "BlobTrigger");
        var name = GetString(metadata, "name") ?? GetString(metadata, "Name") ?? (uri is null ? null : uri[(uri.LastIndexOf('/') + 1)..]);
        TryGetProperty(metadata, "Properties", out var properties);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (uri is not null) json.WriteString("url", uri);
            if (name is not null) json.WriteString("name", name);
            if (properties.ValueKind == JsonValueKind.Object)
            {
                if (GetString(properties, "ContentType") is { } contentType) json.WriteString("contentType", contentType);
                if (TryGetProperty(properties, "ContentLength", out var length) && length.ValueKind == JsonValueKind.Number && length.TryGetInt64(out var bytes)) json.WriteNumber("contentLength", bytes);
                if (GetString(properties, "ETag") is { } etag) json.WriteString("eTag", etag);
                if (GetString(properties, "BlobType") is { } blobType) json.WriteString("blobType", blobType);
            }

            if (blob.ValueKind == JsonValueKind.String) json.WriteString("contentBase64", Utf8(blob, default, "Data.blob").Span);
            else if (blob.ValueKind != JsonValueKind.Null && blob.ValueKind != JsonValueKind.Undefined) json.WriteBase64String("contentBase64", JsonMarshal.GetRawUtf8Value(blob));
            json.WriteEndObject();
        }

        using var data = JsonDocument.Parse(buffer.ToArray());
        var container = uri is not null && Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed.GetLeftPart(UriPartial.Path) : uri;
        return new CloudEvent
        {
            Id = GetSysString(metadata, "RandGuid") ?? fallbackId,
            Source = container ?? "azure-blob-trigger",
            Type = "Microsoft.Storage.BlobCreated",
            Subject = name,
            Time = GetDate(properties, "LastModified"),
            DataContentType = "application/json",
            Data = data.RootElement.Clone(),
        };
    }

    /// <summary>
    /// A notification for a topic function, from the event that carried it: the body is the event's data, the extension attributes
    /// its attributes, except the distributed-tracing extension (<c>traceparent</c>, <c>tracestate</c>), which is the transport's.
    /// </summary>
    public static Notification ReadNotification(string topic, CloudEvent cloudEvent)
    {
        // Data given as JSON is the body's UTF-8 as the event carries it (no string between); data given as a string is its text.
        var notification = cloudEvent.Data is { } data
            ? data.ValueKind == JsonValueKind.String ? new Notification(topic, Text(data, "data")) : new Notification(topic, JsonMarshal.GetRawUtf8Value(data).ToArray())
            : new Notification(topic, "");
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (cloudEvent.Extensions is not null)
        {
            foreach (var (name, value) in cloudEvent.Extensions)
            {
                if (name is "traceparent" or "tracestate") continue;
                attributes[name] = value.ValueKind == JsonValueKind.String ? Text(value, name) : value.GetRawText();
            }
        }

        return notification with { Subject = cloudEvent.Subject, Attributes = attributes, DeduplicationId = cloudEvent.Id };
    }

    public static int? GetInt(JsonElement element, string name)
    {
        if (!TryGetProperty(element, name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var n) => n,
            JsonValueKind.String when int.TryParse(Text(value, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    /// <summary>A string, number or boolean member as text; null when it is missing or of another JSON type.</summary>
    /// <exception cref="InvalidInputException">The string is not valid UTF-8 or has a lone surrogate escape.</exception>
    public static string? GetString(JsonElement element, string name)
        => TryGetProperty(element, name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => Text(value, name),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        } : null;

    /// <summary>A JSON string's text.</summary>
    /// <exception cref="InvalidInputException">It is not valid UTF-8 or has a lone surrogate escape (the host never sends either).</exception>
    public static string Text(JsonElement value, string field)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw NotText(field);
        }
    }

    public static DateTimeOffset? GetDate(JsonElement element, string name)
        => GetString(element, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;

    public static string? GetSysString(JsonElement metadata, string name)
        => TryGetProperty(metadata, "sys", out var sys) ? GetString(sys, name) : null;

    /// <summary>Finds a property by name, exactly first and then ignoring case (the host writes PascalCase, producers vary).</summary>
    public static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Object) return false;
        if (element.TryGetProperty(name, out value)) return true;
        foreach (var property in element.EnumerateObject())
        {
            if (TryNameOf(property, out var candidate) && candidate.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        return false;
    }

    private static CloudEvent ReadCloudEvent(JsonElement value)
    {
        var extensions = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            var name = NameOf(property, "event");
            if (!IsCloudEventAttribute(name)) extensions[name.ToLowerInvariant()] = property.Value.Clone();
        }

        JsonElement? data = TryGetProperty(value, "data", out var d) ? d.Clone() : null;
        if (data is null && TryGetProperty(value, "data_base64", out var base64)) data = base64.Clone();
        return new CloudEvent
        {
            Id = Required(value, "id"),
            Source = Required(value, "source"),
            Type = Required(value, "type"),
            SpecVersion = GetString(value, "specversion") ?? "1.0",
            Subject = GetString(value, "subject"),
            Time = GetDate(value, "time"),
            DataContentType = GetString(value, "datacontenttype"),
            DataSchema = GetString(value, "dataschema"),
            Data = data,
            Extensions = extensions.Count > 0 ? extensions : null,
        };
    }

    private static CloudEvent ReadEventGridEvent(JsonElement value)
    {
        var extensions = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (GetString(value, "dataVersion") is { Length: > 0 } dataVersion) extensions["dataversion"] = JsonSerializer.SerializeToElement(dataVersion, AzureJsonContext.Default.String);
        return new CloudEvent
        {
            Id = Required(value, "id"),
            Source = GetString(value, "topic") is { Length: > 0 } topic ? topic : "azure-event-grid",
            Type = Required(value, "eventType"),
            Subject = GetString(value, "subject"),
            Time = GetDate(value, "eventTime"),
            DataContentType = "application/json",
            Data = TryGetProperty(value, "data", out var data) ? data.Clone() : null,
            Extensions = extensions.Count > 0 ? extensions : null,
        };
    }

    private static bool IsCloudEventAttribute(string name)
        => name.ToLowerInvariant() is "id" or "source" or "type" or "specversion" or "subject" or "time" or "datacontenttype" or "dataschema" or "data" or "data_base64";

    private static string Required(JsonElement value, string name)
        => GetString(value, name) is { Length: > 0 } text ? text : throw new InvalidInputException(name, $"The event has no '{name}'.");

    private static ReadOnlyMemory<byte> ReadBody(JsonElement req, Memory<byte> payload)
    {
        if (!TryGetProperty(req, "Body", out var body)) return ReadOnlyMemory<byte>.Empty;
        return body.ValueKind switch
        {
            JsonValueKind.String => Utf8(body, payload, "Data.req.Body"),
            JsonValueKind.Null or JsonValueKind.Undefined => ReadOnlyMemory<byte>.Empty,
            _ => Raw(body, payload),
        };
    }

    /// <summary>A value's JSON as it is in the payload: a slice of it when possible.</summary>
    private static ReadOnlyMemory<byte> Raw(JsonElement value, Memory<byte> payload)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        return payload.Span.Overlaps(raw, out var offset) ? payload.Slice(offset, raw.Length) : raw.ToArray();
    }

    private static string RequiredString(JsonElement element, string name, string field)
    {
        if (!TryGetProperty(element, name, out var value)) throw new InvalidInputException(field, $"The HTTP request has no {name}.");
        if (value.ValueKind != JsonValueKind.String) throw new InvalidInputException(field, $"The HTTP request's {name} is {Describe(value)}, not a string.");
        var text = Text(value, field);
        return text.Length > 0 ? text : throw new InvalidInputException(field, $"The HTTP request's {name} is empty.");
    }

    /// <summary>Whether a method is an HTTP token (RFC 9110 section 5.6.2), so that no other text becomes a method.</summary>
    private static bool IsToken(string method)
    {
        foreach (var c in method)
        {
            if (c is not ((>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~'))
            {
                return false;
            }
        }

        return method.Length > 0;
    }

    private static string NameOf(JsonProperty property, string field)
        => TryNameOf(property, out var name) ? name : throw new InvalidInputException(field, $"A member name in {field} is not valid text: it has bytes that are not UTF-8 or a lone surrogate escape.");

    private static bool TryNameOf(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }

    private static InvalidInputException NotText(string field)
        => new(field, $"{field} is not valid text: it has bytes that are not UTF-8 or a lone surrogate escape.");

    /// <summary>A JSON value's type for a message: "a number", "an array".</summary>
    internal static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "missing",
    };

    private static IEnumerable<string> Values(JsonElement value, string field)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String) yield return Text(item, field);
                    else if (item.ValueKind != JsonValueKind.Null) yield return item.GetRawText();
                }

                break;
            case JsonValueKind.String:
                yield return Text(value, field);
                break;
            case JsonValueKind.Null or JsonValueKind.Undefined:
                break;
            default:
                yield return value.GetRawText();
                break;
        }
    }

    private static IEnumerable<(string Name, string Value)> ParseQuery(string query)
    {
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            yield return (Uri.UnescapeDataString(name.Replace('+', ' ')), Uri.UnescapeDataString(value.Replace('+', ' ')));
        }
    }
}
