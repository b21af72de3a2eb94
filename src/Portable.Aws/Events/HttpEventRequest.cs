namespace Portable.Aws.Events;

/// <summary>
/// An HTTP request as Lambda receives it from API Gateway (REST API, payload 1.0; HTTP API, payload 2.0), an Application Load
/// Balancer or a function URL, read from the event for a host that serves it its own way (the ASP.NET Core bridge is one).
/// Read by <see cref="Read"/> the same way Portable's own HTTP functions read it; answered by <see cref="WriteResponse"/> in
/// the shape the event's source expects.
/// </summary>
public sealed class HttpEventRequest
{
    private HttpEventRequest(HttpEventKind kind, HttpRequestData data, string pathBase, string path)
    {
        Kind = kind;
        Method = data.Method;
        Headers = data.Headers;
        Query = data.Query;
        Body = data.Body;
        PathBase = pathBase;
        Path = path;
    }

    /// <summary>The event's source, which decides the shape of the response.</summary>
    internal HttpEventKind Kind { get; }

    /// <summary>
    /// The service that sent the event. A function URL is told from an HTTP API by its <c>requestContext.domainName</c>
    /// (<c>….lambda-url.….on.aws</c>); only a function URL and a REST API can have a response streamed to their caller.
    /// </summary>
    public HttpEventSource Source { get; private init; }

    /// <summary>The method; GET when the event has none.</summary>
    public string Method { get; }

    /// <summary>
    /// The API Gateway stage as a path prefix (<c>/{stage}</c>) when the path starts with it: REST API with its stage, HTTP API
    /// with a named stage (not <c>$default</c>). Empty otherwise (ALB, function URL, a custom domain's mapping).
    /// </summary>
    public string PathBase { get; }

    /// <summary>The path after <see cref="PathBase"/>, starting with <c>/</c>; percent-encoded as sent when <see cref="PathIsEscaped"/>.</summary>
    public string Path { get; }

    /// <summary>
    /// Whether <see cref="PathBase"/> and <see cref="Path"/> are percent-encoded as the caller sent them (HTTP API and function
    /// URL <c>rawPath</c>, ALB) rather than decoded by API Gateway (REST API <c>path</c>).
    /// </summary>
    public bool PathIsEscaped => Kind is not HttpEventKind.RestApi;

    /// <summary>Payload 2.0's <c>rawQueryString</c> as sent (without the leading <c>?</c>); null for the other shapes, whose query is only in <see cref="Query"/>.</summary>
    public string? RawQueryString { get; private init; }

    /// <summary>The query parameters, decoded, with every value of a repeated name.</summary>
    public HttpValues Query { get; }

    /// <summary>The headers, with every value of a repeated one; payload 2.0's <c>cookies</c> as one <c>Cookie</c> header.</summary>
    public HttpValues Headers { get; }

    /// <summary>The body's bytes: base64-decoded when the event says <c>isBase64Encoded</c>; empty when there is none.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Payload 2.0's <c>requestContext.http.sourceIp</c>: the caller's address; null for the other shapes.</summary>
    public string? SourceIp { get; private init; }

    /// <summary>Reads an HTTP event. The payload is not changed (it stays readable as the raw event); the body may share its bytes.</summary>
    /// <param name="payload">The event, as the invocation carries it.</param>
    /// <returns>The request.</returns>
    /// <exception cref="InvalidInputException">The event is not JSON, not one of the HTTP event shapes, or its body cannot be read: answer the invocation <c>Runtime.InvalidEvent</c> (<see cref="Runtime.LambdaRuntimeLoop"/> does).</exception>
    public static HttpEventRequest Read(ReadOnlyMemory<byte> payload)
    {
        EventJson.CheckText(payload.Span);
        var scan = HttpEventScan.Read(payload.Span);
        if (!scan.IsHttpShaped)
        {
            throw new InvalidInputException("The event is not an HTTP request: an HTTP app on Lambda is invoked by API Gateway (REST or HTTP API), an ALB or a function URL, whose events have fields such as httpMethod, rawPath or requestContext. Invoke it through one of them, or map other events to Portable functions.");
        }

        var http = EventJson.Read(payload.Span, AwsJsonContext.Default.HttpEvent, "The HTTP event");
        if (!HttpEvents.IsComplete(http))
        {
            throw new InvalidInputException("The HTTP event says neither where it goes as payload 2.0 (rawPath, or version 2.0 with a requestContext) nor as payload 1.0 (httpMethod and path).");
        }

        var kind = HttpEvents.KindOf(http);
        var body = HttpEvents.ReadBody(payload, scan, http.IsBase64Encoded);
        var data = HttpEvents.ToRequest(http, kind, body);
        var (pathBase, path) = SplitPath(http, kind);
        return new HttpEventRequest(kind, data, pathBase, path)
        {
            RawQueryString = kind == HttpEventKind.HttpApi ? http.RawQueryString : null,
            SourceIp = http.RequestContext?.Http?.SourceIp,
            Source = kind switch
            {
                HttpEventKind.HttpApi when http.RequestContext?.DomainName?.Contains(".lambda-url.", StringComparison.OrdinalIgnoreCase) == true => HttpEventSource.FunctionUrl,
                HttpEventKind.HttpApi => HttpEventSource.HttpApi,
                HttpEventKind.RestApi => HttpEventSource.RestApi,
                _ => HttpEventSource.Alb,
            },
        };
    }

    /// <summary>
    /// The response to this request as the event's source expects it: HTTP API with <c>Set-Cookie</c> as <c>cookies</c>, ALB
    /// with a status description (and multi-value headers when the target group has them on), REST API with single- and
    /// multi-value headers; the body as text for a textual <c>Content-Type</c>, base64 (<c>isBase64Encoded</c>) otherwise.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <returns>The response JSON, to post as the invocation's response.</returns>
    public ReadOnlyMemory<byte> WriteResponse(HttpResponseData response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return HttpEvents.Write(HttpEvents.ToResult(response, Kind));
    }

    /// <summary>
    /// The path base and the path, as the event has them. HTTP API and function URLs: <c>rawPath</c>, with a named stage as the
    /// path base. REST API: <c>path</c>, with <c>/{stage}</c> as the path base when it starts with it. ALB: the path as sent.
    /// </summary>
    private static (string PathBase, string Path) SplitPath(HttpEvent http, HttpEventKind kind)
    {
        var path = kind == HttpEventKind.HttpApi ? http.RawPath ?? http.RequestContext?.Http?.Path ?? "/" : http.Path ?? "/";
        if (path.Length == 0 || path[0] != '/') path = "/" + path;
        var stage = kind is HttpEventKind.HttpApi or HttpEventKind.RestApi ? http.RequestContext?.Stage : null;
        if (!string.IsNullOrEmpty(stage) && stage != "$default")
        {
            var prefix = "/" + stage;
            if (path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                return (prefix, path.Length == prefix.Length ? "/" : path[prefix.Length..]);
            }
        }

        return ("", path);
    }
}
