using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

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

    public static HttpRequestData ReadHttpRequest(JsonElement req, string routePrefix)
    {
        if (req.ValueKind != JsonValueKind.Object) throw new InvalidInputException("Data.req", "The HTTP request is not an object.");
        var method = GetString(req, "Method") ?? throw new InvalidInputException("Data.req.Method", "The HTTP request has no Method.");
        var url = GetString(req, "Url") ?? throw new InvalidInputException("Data.req.Url", "The HTTP request has no Url.");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) throw new InvalidInputException("Data.req.Url", $"'{url}' is not an absolute URL.");
        var request = new HttpRequestData(method, StripPrefix(uri.AbsolutePath, routePrefix)) { Body = ReadBody(req) };
        if (TryGetProperty(req, "Headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in headers.EnumerateObject())
            {
                foreach (var value in Values(header.Value)) request.Headers.Add(header.Name, value);
            }
        }

        if (TryGetProperty(req, "Query", out var query) && query.ValueKind == JsonValueKind.Object)
        {
            foreach (var parameter in query.EnumerateObject())
            {
                foreach (var value in Values(parameter.Value)) request.Query.Add(parameter.Name, value);
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
                if (parameter.Value.ValueKind == JsonValueKind.String) request.RouteValues[parameter.Name] = parameter.Value.GetString()!;
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

    /// <summary>A queue message as the host gives it: a string (the message text) or, when the host parsed it, JSON.</summary>
    public static byte[] ReadMessage(JsonElement item) => item.ValueKind switch
    {
        JsonValueKind.String => Encoding.UTF8.GetBytes(item.GetString()!),
        JsonValueKind.Null or JsonValueKind.Undefined => [],
        _ => Encoding.UTF8.GetBytes(item.GetRawText()),
    };

    /// <summary>An Event Grid event (Event Grid or CloudEvents 1.0 schema), given as an object or as JSON text, as a CloudEvent.</summary>
    public static CloudEvent ReadEvent(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var parsed = JsonDocument.Parse(value.GetString()!);
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
                if (TryGetProperty(properties, "ContentLength", out var length) && length.ValueKind == JsonValueKind.Number) json.WriteNumber("contentLength", length.GetInt64());
                if (GetString(properties, "ETag") is { } etag) json.WriteString("eTag", etag);
                if (GetString(properties, "BlobType") is { } blobType) json.WriteString("blobType", blobType);
            }

            if (blob.ValueKind == JsonValueKind.String) json.WriteString("contentBase64", blob.GetString());
            else if (blob.ValueKind != JsonValueKind.Null && blob.ValueKind != JsonValueKind.Undefined) json.WriteString("contentBase64", Convert.ToBase64String(Encoding.UTF8.GetBytes(blob.GetRawText())));
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

    /// <summary>A notification for a topic function, from the event that carried it: the body is the event's data.</summary>
    public static Notification ReadNotification(string topic, CloudEvent cloudEvent)
    {
        // Data given as JSON is the body's UTF-8 as the event carries it (no string between); data given as a string is its text.
        var notification = cloudEvent.Data is { } data
            ? data.ValueKind == JsonValueKind.String ? new Notification(topic, data.GetString()!) : new Notification(topic, JsonMarshal.GetRawUtf8Value(data).ToArray())
            : new Notification(topic, "");
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (cloudEvent.Extensions is not null)
        {
            foreach (var (name, value) in cloudEvent.Extensions)
            {
                attributes[name] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
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
            JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    public static string? GetString(JsonElement element, string name)
        => TryGetProperty(element, name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        } : null;

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
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
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
            if (!IsCloudEventAttribute(property.Name)) extensions[property.Name.ToLowerInvariant()] = property.Value.Clone();
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

    private static ReadOnlyMemory<byte> ReadBody(JsonElement req)
    {
        if (!TryGetProperty(req, "Body", out var body)) return ReadOnlyMemory<byte>.Empty;
        return body.ValueKind switch
        {
            JsonValueKind.String => Encoding.UTF8.GetBytes(body.GetString()!),
            JsonValueKind.Null or JsonValueKind.Undefined => ReadOnlyMemory<byte>.Empty,
            _ => Encoding.UTF8.GetBytes(body.GetRawText()),
        };
    }

    private static IEnumerable<string> Values(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String) yield return item.GetString()!;
                    else if (item.ValueKind != JsonValueKind.Null) yield return item.GetRawText();
                }

                break;
            case JsonValueKind.String:
                yield return value.GetString()!;
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
