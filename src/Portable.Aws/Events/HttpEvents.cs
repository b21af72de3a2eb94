using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Portable.Hosting;

namespace Portable.Aws.Events;

/// <summary>Reads the four HTTP event shapes into <see cref="HttpRequestData"/> and writes <see cref="HttpResponseData"/> back in the shape the source expects.</summary>
internal static class HttpEvents
{
    /// <summary>
    /// The top-level fields only the HTTP event shapes have. An event with any of them is HTTP-shaped: it is answered as an
    /// HTTP request (a 400 problem when it cannot be read), never as a direct invocation, whose input is the function's own
    /// request type. <c>headers</c>, <c>body</c> and <c>path</c> are not among them: a request type may well have those.
    /// </summary>
    public static readonly string[] HttpOnlyFields =
        ["httpMethod", "rawPath", "rawQueryString", "routeKey", "requestContext", "multiValueHeaders", "multiValueQueryStringParameters", "isBase64Encoded"];

    /// <summary>The kind of an HTTP event that was read: as <see cref="KindOf(JsonElement)"/>, from the typed fields.</summary>
    public static HttpEventKind KindOf(HttpEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var isV2 = e.RawPath is not null || (e.Version == "2.0" && e.RequestContext is not null);
        var isV1 = e.HttpMethod is not null && e.Path is not null;
        return isV2 && !isV1 ? HttpEventKind.HttpApi
            : e.RequestContext?.Elb is not null ? (e.MultiValueHeaders is not null ? HttpEventKind.AlbMultiValue : HttpEventKind.Alb)
            : HttpEventKind.RestApi;
    }

    /// <summary>
    /// Which source sent an HTTP-shaped event, read from the fields whatever else is wrong with it, so even a refusal is
    /// answered in the shape the source expects: payload 2.0 (<c>rawPath</c>, or <c>version</c> 2.0 with a
    /// <c>requestContext</c>) unless it also has payload 1.0's <c>httpMethod</c> and <c>path</c>; ALB with
    /// <c>requestContext.elb</c>; otherwise API Gateway REST.
    /// </summary>
    public static HttpEventKind KindOf(JsonElement root)
    {
        var context = root.TryGetProperty("requestContext", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var isV2 = IsString(root, "rawPath") || (IsString(root, "version", "2.0") && context.ValueKind == JsonValueKind.Object);
        var isV1 = IsString(root, "httpMethod") && IsString(root, "path");
        if (isV2 && !isV1) return HttpEventKind.HttpApi;
        if (context.ValueKind == JsonValueKind.Object && context.TryGetProperty("elb", out var elb) && elb.ValueKind == JsonValueKind.Object)
        {
            return root.TryGetProperty("multiValueHeaders", out var multi) && multi.ValueKind != JsonValueKind.Null ? HttpEventKind.AlbMultiValue : HttpEventKind.Alb;
        }

        return HttpEventKind.RestApi;
    }

    /// <summary>The method and path an HTTP-shaped event claims, for a refusal's log line; "?" for what it does not say as a string.</summary>
    public static (string Method, string Path) Describe(JsonElement root)
    {
        var http = root.TryGetProperty("requestContext", out var c) && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("http", out var h) && h.ValueKind == JsonValueKind.Object ? h : default;
        var method = Text(root, "httpMethod") ?? (http.ValueKind == JsonValueKind.Object ? Text(http, "method") : null) ?? "?";
        var path = Text(root, "rawPath") ?? Text(root, "path") ?? (http.ValueKind == JsonValueKind.Object ? Text(http, "path") : null) ?? "?";
        return (EventJson.Shorten(method), EventJson.Shorten(path));
    }

    /// <summary>The method and path an HTTP event read as <see cref="HttpEvent"/> claims, for a refusal's log line; "?" for what it does not say.</summary>
    public static (string Method, string Path) Describe(HttpEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var method = e.HttpMethod ?? e.RequestContext?.Http?.Method ?? "?";
        var path = e.RawPath ?? e.Path ?? e.RequestContext?.Http?.Path ?? "?";
        return (EventJson.Shorten(method), EventJson.Shorten(path));
    }

    /// <summary>Whether an HTTP event read as <see cref="HttpEvent"/> says where it goes: payload 2.0's <c>rawPath</c> (or <c>version</c> 2.0 with a <c>requestContext</c>), or payload 1.0's <c>httpMethod</c> and <c>path</c>.</summary>
    public static bool IsComplete(HttpEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.RawPath is not null || (e.Version == "2.0" && e.RequestContext is not null) || (e.HttpMethod is not null && e.Path is not null);
    }

    private static bool IsString(JsonElement parent, string name, string? value = null)
        => parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && (value is null || v.ValueEquals(value));

    private static string? Text(JsonElement parent, string name)
        => parent.TryGetProperty(name, out var v) ? EventJson.Text(v) : null;

    /// <summary>The portable request of an HTTP event, with its body as <see cref="ReadBody"/> read it.</summary>
    public static HttpRequestData ToRequest(HttpEvent e, HttpEventKind kind, ReadOnlyMemory<byte> body)
    {
        HttpRequestData request;
        if (kind == HttpEventKind.HttpApi)
        {
            var method = Method(e.RequestContext?.Http?.Method);
            var path = e.RawPath ?? e.RequestContext?.Http?.Path ?? "/";
            var stage = e.RequestContext?.Stage;
            if (!string.IsNullOrEmpty(stage) && stage != "$default")
            {
                var prefix = "/" + stage;
                if (path == prefix) path = "/";
                else if (path.StartsWith(prefix + "/", StringComparison.Ordinal)) path = path[prefix.Length..];
            }

            request = new HttpRequestData(method, path) { Body = body };
            Add(request.Headers, e.Headers, decode: false);
            if (e.Cookies is { Count: > 0 } cookies) request.Headers["Cookie"] = string.Join("; ", cookies);
            if (e.RawQueryString is not null) AddRawQuery(request.Query, e.RawQueryString);
            else Add(request.Query, e.QueryStringParameters, decode: false);
            return request;
        }

        request = new HttpRequestData(Method(e.HttpMethod), string.IsNullOrEmpty(e.Path) ? "/" : e.Path) { Body = body };
        var alb = kind is HttpEventKind.Alb or HttpEventKind.AlbMultiValue;
        Add(request.Headers, e.MultiValueHeaders ?? e.Headers, decode: false);
        Add(request.Query, e.MultiValueQueryStringParameters ?? e.QueryStringParameters, decode: alb);
        return request;
    }

    /// <summary>The response in the shape of the event's source.</summary>
    public static HttpResult ToResult(HttpResponseData response, HttpEventKind kind)
    {
        var contentType = response.Headers["Content-Type"];
        var text = response.Body.IsEmpty || IsText(contentType);
        var body = new HttpResultBody(response.Body, IsBase64: !text);
        var all = response.Headers.ToDictionary(h => h.Key, h => h.Value.ToList(), StringComparer.OrdinalIgnoreCase);
        switch (kind)
        {
            case HttpEventKind.HttpApi:
                var cookies = all.Remove("Set-Cookie", out var set) ? set : null;
                return new HttpResult
                {
                    StatusCode = response.StatusCode,
                    Headers = all.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
                    Cookies = cookies,
                    Body = body,
                    IsBase64Encoded = !text,
                };
            case HttpEventKind.AlbMultiValue:
                return new HttpResult { StatusCode = response.StatusCode, StatusDescription = Describe(response.StatusCode), MultiValueHeaders = all, Body = body, IsBase64Encoded = !text };
            case HttpEventKind.Alb:
                return new HttpResult
                {
                    StatusCode = response.StatusCode,
                    StatusDescription = Describe(response.StatusCode),
                    Headers = all.ToDictionary(h => h.Key, h => h.Key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase) ? h.Value[^1] : string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
                    Body = body,
                    IsBase64Encoded = !text,
                };
            default:
                return new HttpResult
                {
                    StatusCode = response.StatusCode,
                    Headers = all.Where(h => h.Value.Count == 1).ToDictionary(h => h.Key, h => h.Value[0], StringComparer.OrdinalIgnoreCase),
                    MultiValueHeaders = all,
                    Body = body,
                    IsBase64Encoded = !text,
                };
        }
    }

    /// <summary>
    /// The response JSON, written once into a buffer sized for its body (base64 is 4/3 of the bytes, text a little more than
    /// its bytes for the escapes), so a large response is neither grown by doubling nor copied to an array of its own length.
    /// </summary>
    public static ReadOnlyMemory<byte> Write(HttpResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var length = result.Body.Bytes.Length;
        var estimate = 4096L + (result.Body.IsBase64 ? (length + 2) / 3 * 4 : length + length / 16);
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(estimate, Array.MaxLength));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, result, AwsJsonContext.Default.HttpResult);
        }

        return buffer.WrittenMemory;
    }

    /// <summary>Whether a body of this media type is sent as text rather than base64.</summary>
    public static bool IsText(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return false;
        var media = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return media.StartsWith("text/", StringComparison.Ordinal)
            || media is "application/json" or "application/xml" or "application/javascript" or "application/x-www-form-urlencoded" or "application/graphql" or "image/svg+xml"
            || media.EndsWith("+json", StringComparison.Ordinal) || media.EndsWith("+xml", StringComparison.Ordinal);
    }

    /// <summary>
    /// The body's bytes, read straight from the <c>body</c> token of the event, never as a .NET string. Text that needs no
    /// unescaping is the event's own bytes (no copy). Escaped text is unescaped, and a base64 body (<c>isBase64Encoded</c>)
    /// decoded, where it lies in the event when the event is the invocation's own array (<paramref name="overwrite"/>), so a 6 MB
    /// body costs nothing more than the event; otherwise in one copy of the token's content.
    /// </summary>
    /// <param name="payload">The event.</param>
    /// <param name="scan">Where the event's <c>body</c> is.</param>
    /// <param name="isBase64">The event's <c>isBase64Encoded</c>.</param>
    /// <param name="overwrite">Whether the event's bytes may be overwritten: nothing reads the body's JSON token after this.</param>
    /// <exception cref="InvalidInputException">The body is not a string, not text, or not base64 when it says it is.</exception>
    public static ReadOnlyMemory<byte> ReadBody(ReadOnlyMemory<byte> payload, HttpEventScan scan, bool isBase64, bool overwrite = false)
    {
        switch (scan.BodyToken)
        {
            case JsonTokenType.None or JsonTokenType.Null:
                return ReadOnlyMemory<byte>.Empty;
            case not JsonTokenType.String:
                throw new InvalidInputException($"The HTTP event: 'body' is {(scan.BodyToken is JsonTokenType.StartObject ? "an object" : scan.BodyToken is JsonTokenType.StartArray ? "an array" : scan.BodyToken is JsonTokenType.Number ? "a number" : "a boolean")}, not a string.");
        }

        var quoted = payload.Slice(scan.BodyStart + 1, scan.BodyLength - 2); // without the quotes
        if (!isBase64 && !quoted.Span.Contains((byte)'\\')) return quoted;
        var content = overwrite ? MemoryMarshal.AsMemory(quoted) : quoted.ToArray();
        var length = isBase64 ? JsonStrings.DecodeBase64InPlace(content.Span) : JsonStrings.UnescapeInPlace(content.Span);
        return length >= 0 ? content[..length]
            : isBase64 ? throw NotBase64()
            : throw new InvalidInputException("The HTTP event's body is not valid text: it has an escaped lone surrogate.");
    }

    /// <summary>The event's method; GET when it has none, as API Gateway never sends one without.</summary>
    /// <exception cref="InvalidInputException">The method is there but empty or blank.</exception>
    private static string Method(string? method)
        => method is null ? "GET"
            : string.IsNullOrWhiteSpace(method) ? throw new InvalidInputException("The HTTP event's method is empty.")
            : method;

    private static InvalidInputException NotBase64() => new("The event says its body is base64 (isBase64Encoded), but it is not valid base64.");

    private static void Add(HttpValues target, List<KeyValuePair<string, string>>? values, bool decode)
    {
        if (values is null) return;
        foreach (var (name, value) in values) target.Add(decode ? Decode(name) : name, decode ? Decode(value) : value);
    }

    private static void AddRawQuery(HttpValues target, string raw)
    {
        foreach (var pair in raw.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? "" : pair[(eq + 1)..];
            target.Add(Decode(name), Decode(value));
        }
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    private static string Describe(int status) => status.ToString(CultureInfo.InvariantCulture) + " " + status switch
    {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    };
}
