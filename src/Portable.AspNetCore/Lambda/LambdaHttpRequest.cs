using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Portable.Aws;
using Portable.Aws.Events;

namespace Portable.AspNetCore.Lambda;

/// <summary>
/// An HTTP event read for ASP.NET Core. The event is read by Portable.Aws's <see cref="HttpEvents"/> (the same reading as
/// Portable's own HTTP functions: method, headers, v2 <c>cookies</c> as a <c>Cookie</c> header, query, body by
/// <c>isBase64Encoded</c>); what ASP.NET Core needs besides is added here: the stage as <c>PathBase</c> (REST API: when the
/// path starts with <c>/{stage}</c>; HTTP API: unless it is <c>$default</c>), the path as <c>PathString</c>, the query string, the
/// scheme from <c>X-Forwarded-Proto</c> and the caller's address.
/// </summary>
internal sealed class LambdaHttpRequest
{
    private LambdaHttpRequest(HttpEventKind kind, string method, HeaderDictionary headers)
    {
        Kind = kind;
        Method = method;
        Headers = headers;
    }

    /// <summary>The event's source, which decides the shape of the response.</summary>
    public HttpEventKind Kind { get; }

    public string Method { get; }

    public string Scheme { get; private init; } = "https";

    public string PathBase { get; private init; } = "";

    public string Path { get; private init; } = "/";

    public string QueryString { get; private init; } = "";

    public HeaderDictionary Headers { get; }

    public ReadOnlyMemory<byte> Body { get; private init; }

    public IPAddress? RemoteIpAddress { get; private init; }

    /// <summary>Reads an HTTP event. The payload is not changed: it stays readable as the raw event.</summary>
    /// <exception cref="InvalidInputException">The event is not JSON, not one of the HTTP event shapes, or its body cannot be read.</exception>
    public static LambdaHttpRequest Read(ReadOnlyMemory<byte> payload)
    {
        EventJson.CheckText(payload.Span);
        var scan = HttpEventScan.Read(payload.Span);
        if (!scan.IsHttpShaped)
        {
            throw new InvalidInputException("The event is not an HTTP request: an ASP.NET Core app on Lambda is invoked by API Gateway (REST or HTTP API), an ALB or a function URL, whose events have fields such as httpMethod, rawPath or requestContext. Invoke it through one of them, or map other events to Portable functions.");
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
        var headers = new HeaderDictionary();
        foreach (var (name, values) in data.Headers) headers[name] = new StringValues([.. values]);
        if (!body.IsEmpty && headers.ContentLength is null) headers.ContentLength = body.Length;
        var scheme = headers["X-Forwarded-Proto"].ToString().Split(',')[0].Trim();
        return new LambdaHttpRequest(kind, data.Method, headers)
        {
            PathBase = pathBase,
            Path = path,
            QueryString = kind == HttpEventKind.HttpApi && !string.IsNullOrEmpty(http.RawQueryString)
                ? "?" + http.RawQueryString.TrimStart('?')
                : Query(data.Query),
            Body = body,
            Scheme = scheme is "http" or "https" ? scheme : "https",
            RemoteIpAddress = RemoteAddress(http, headers),
        };
    }

    /// <summary>
    /// The path base and the path. HTTP API and function URLs: <c>rawPath</c> (as sent, percent-encoded), with a named stage
    /// as the path base. REST API: <c>path</c> (decoded by API Gateway), with <c>/{stage}</c> as the path base when it starts
    /// with it (a custom domain's mapping keeps it). ALB: the path as sent.
    /// </summary>
    private static (string PathBase, string Path) SplitPath(HttpEvent http, HttpEventKind kind)
    {
        var encoded = kind is not HttpEventKind.RestApi;
        var path = kind == HttpEventKind.HttpApi ? http.RawPath ?? http.RequestContext?.Http?.Path ?? "/" : http.Path ?? "/";
        if (path.Length == 0 || path[0] != '/') path = "/" + path;
        var stage = kind is HttpEventKind.HttpApi or HttpEventKind.RestApi ? http.RequestContext?.Stage : null;
        var pathBase = "";
        if (!string.IsNullOrEmpty(stage) && stage != "$default")
        {
            var prefix = "/" + stage;
            if (path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                pathBase = prefix;
                path = path.Length == prefix.Length ? "/" : path[prefix.Length..];
            }
        }

        return encoded
            ? (PathString.FromUriComponent(pathBase).Value ?? "", PathString.FromUriComponent(path).Value ?? "/")
            : (pathBase, path);
    }

    private static string Query(HttpValues query)
    {
        if (query.Count == 0) return "";
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var (name, values) in query)
        {
            foreach (var value in values) pairs.Add(new(name, value));
        }

        return Microsoft.AspNetCore.Http.QueryString.Create(pairs).Value ?? "";
    }

    /// <summary>The caller: HTTP API's <c>requestContext.http.sourceIp</c>, else the first address of <c>X-Forwarded-For</c>.</summary>
    private static IPAddress? RemoteAddress(HttpEvent http, IHeaderDictionary headers)
    {
        var source = http.RequestContext?.Http?.SourceIp ?? headers["X-Forwarded-For"].ToString().Split(',')[0].Trim();
        return IPAddress.TryParse(source, out var address) ? address : null;
    }
}
