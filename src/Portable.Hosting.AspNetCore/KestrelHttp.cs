using Microsoft.AspNetCore.Http;

namespace Portable.Hosting.AspNetCore;

/// <summary>
/// Translates between ASP.NET Core and the portable request and response, for every Kestrel-based host: the body read up to
/// the adapter's limit (413 past it), malformed framing answered 400, a request the caller abandoned answered with nothing,
/// and the portable response written back (no body for <c>HEAD</c>).
/// </summary>
public static class KestrelHttp
{
    /// <summary>Reads the request, lets <paramref name="handle"/> answer it, and writes the answer.</summary>
    /// <param name="context">The ASP.NET Core request.</param>
    /// <param name="path">The path the portable request gets (a host may strip a prefix).</param>
    /// <param name="dispatcher">Gives the 413 and 400 answers, and logs them.</param>
    /// <param name="limit">The largest body accepted, in bytes.</param>
    /// <param name="limitSetting">The setting that changes the limit, named in the 413 answer.</param>
    /// <param name="handle">Answers the portable request.</param>
    /// <returns>A task that completes when the answer is written.</returns>
    public static async Task ServeAsync(HttpContext context, string path, HttpDispatcher dispatcher, long limit, string limitSetting,
        Func<HttpRequestData, CancellationToken, Task<HttpResponseData>> handle)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(handle);
        HttpResponseData response;
        try
        {
            var body = await ReadBodyAsync(context, limit).ConfigureAwait(false);
            response = body is null
                ? dispatcher.TooLarge(context.Request.Method, path, limit, limitSetting)
                : await handle(ToRequestData(context, path, body), context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (BadHttpRequestException e)
        {
            response = dispatcher.BadRequest(context.Request.Method, path, e.Message);
        }

        await WriteAsync(context, response).ConfigureAwait(false);
    }

    /// <summary>The request path, <c>/</c> when empty.</summary>
    /// <param name="context">The ASP.NET Core request.</param>
    /// <returns>The path.</returns>
    public static string PathOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Path.HasValue ? context.Request.Path.Value! : "/";
    }

    /// <summary>Writes a portable response, unless the response has started.</summary>
    /// <param name="context">The ASP.NET Core request.</param>
    /// <param name="response">The answer.</param>
    /// <returns>A task that completes when it is written.</returns>
    public static async Task WriteAsync(HttpContext context, HttpResponseData response)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = response.StatusCode;
        foreach (var (name, values) in response.Headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            context.Response.Headers.Append(name, values.ToArray());
        }

        context.Response.ContentLength = response.Body.Length;
        if (!HttpMethods.IsHead(context.Request.Method) && response.Body.Length > 0)
        {
            await context.Response.Body.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the whole body, or returns null as soon as it is known to be over <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit) return null;
        if (context.Request.ContentLength is { } length && length <= 64 * 1024)
        {
            var exact = new byte[length];
            await context.Request.Body.ReadExactlyAsync(exact, context.RequestAborted).ConfigureAwait(false);
            return exact;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static HttpRequestData ToRequestData(HttpContext context, string path, ReadOnlyMemory<byte> body)
    {
        var request = new HttpRequestData(context.Request.Method, path) { Body = body };
        foreach (var header in context.Request.Headers)
        {
            foreach (var value in header.Value) request.Headers.Add(header.Key, value ?? "");
        }

        foreach (var query in context.Request.Query)
        {
            foreach (var value in query.Value) request.Query.Add(query.Key, value ?? "");
        }

        return request;
    }
}
