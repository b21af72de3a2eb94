using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Portable.Aws.Events;

namespace Portable.AspNetCore.Lambda;

/// <summary>
/// An HTTP event read for ASP.NET Core. The event is read by Portable.Aws's <see cref="HttpEventRequest"/> (the same reading as
/// Portable's own HTTP functions: method, headers, v2 <c>cookies</c> as a <c>Cookie</c> header, query, body by
/// <c>isBase64Encoded</c>, the stage as path base); what ASP.NET Core needs besides is added here: the path as
/// <c>PathString</c>, the query string, the scheme from <c>X-Forwarded-Proto</c> and the caller's address.
/// </summary>
internal sealed class LambdaHttpRequest
{
    private LambdaHttpRequest(HttpEventRequest http, HeaderDictionary headers)
    {
        Event = http;
        Method = http.Method;
        Headers = headers;
    }

    /// <summary>The event as Portable.Aws read it, which answers in the shape of the event's source.</summary>
    public HttpEventRequest Event { get; }

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
        var http = HttpEventRequest.Read(payload);
        var headers = new HeaderDictionary();
        foreach (var (name, values) in http.Headers) headers[name] = new StringValues([.. values]);
        if (!http.Body.IsEmpty && headers.ContentLength is null) headers.ContentLength = http.Body.Length;
        var scheme = headers["X-Forwarded-Proto"].ToString().Split(',')[0].Trim();
        return new LambdaHttpRequest(http, headers)
        {
            // HTTP API and function URLs: rawPath as sent (percent-encoded), decoded as Kestrel decodes a request target.
            PathBase = http.PathIsEscaped ? PathString.FromUriComponent(http.PathBase).Value ?? "" : http.PathBase,
            Path = http.PathIsEscaped ? PathString.FromUriComponent(http.Path).Value ?? "/" : http.Path,
            QueryString = !string.IsNullOrEmpty(http.RawQueryString) ? "?" + http.RawQueryString.TrimStart('?') : Query(http.Query),
            Body = http.Body,
            Scheme = scheme is "http" or "https" ? scheme : "https",
            RemoteIpAddress = RemoteAddress(http.SourceIp, headers),
        };
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
    private static IPAddress? RemoteAddress(string? sourceIp, IHeaderDictionary headers)
    {
        var source = sourceIp ?? headers["X-Forwarded-For"].ToString().Split(',')[0].Trim();
        return IPAddress.TryParse(source, out var address) ? address : null;
    }
}
