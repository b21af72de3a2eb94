using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace Portable.Aws.Events;

/// <summary>Reads the four HTTP event shapes into <see cref="HttpRequestData"/> and writes <see cref="HttpResponseData"/> back in the shape the source expects.</summary>
internal static class HttpEvents
{
    /// <summary>Whether an event read as <see cref="HttpEvent"/> is one (payload 2.0: <c>rawPath</c>, or <c>version</c> 2.0 with a <c>requestContext</c>; otherwise <c>httpMethod</c> and <c>path</c>), and which kind.</summary>
    public static bool TryGetKind(HttpEvent e, out HttpEventKind kind)
    {
        ArgumentNullException.ThrowIfNull(e);
        var isV2 = e.RawPath is not null || (e.Version == "2.0" && e.RequestContext is not null);
        var isV1 = e.HttpMethod is not null && e.Path is not null;
        kind = isV2 && !isV1 ? HttpEventKind.HttpApi
            : e.RequestContext?.Elb is not null ? (e.MultiValueHeaders is not null ? HttpEventKind.AlbMultiValue : HttpEventKind.Alb)
            : HttpEventKind.RestApi;
        return isV1 || isV2;
    }

    /// <summary>The portable request of an HTTP event.</summary>
    /// <exception cref="InvalidInputException">A base64 body is not base64.</exception>
    public static HttpRequestData ToRequest(HttpEvent e, HttpEventKind kind)
    {
        var body = ReadBody(e);
        HttpRequestData request;
        if (kind == HttpEventKind.HttpApi)
        {
            var method = e.RequestContext?.Http?.Method ?? "GET";
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

        request = new HttpRequestData(e.HttpMethod ?? "GET", string.IsNullOrEmpty(e.Path) ? "/" : e.Path) { Body = body };
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

    /// <summary>Whether a body of this media type is sent as text rather than base64.</summary>
    public static bool IsText(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return false;
        var media = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return media.StartsWith("text/", StringComparison.Ordinal)
            || media is "application/json" or "application/xml" or "application/javascript" or "application/x-www-form-urlencoded" or "application/graphql" or "image/svg+xml"
            || media.EndsWith("+json", StringComparison.Ordinal) || media.EndsWith("+xml", StringComparison.Ordinal);
    }

    /// <summary>The body's bytes: the event's UTF-8 as it is, or base64 decoded in place (once, into the same buffer).</summary>
    private static ReadOnlyMemory<byte> ReadBody(HttpEvent e)
    {
        if (e.Body is not { Length: > 0 } body) return ReadOnlyMemory<byte>.Empty;
        if (!e.IsBase64Encoded) return body;
        if (Base64.DecodeFromUtf8InPlace(body, out var written) != OperationStatus.Done)
        {
            throw new InvalidInputException("The event says its body is base64 (isBase64Encoded), but it is not valid base64.");
        }

        return body.AsMemory(0, written);
    }

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
