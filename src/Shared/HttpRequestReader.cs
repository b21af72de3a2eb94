using Microsoft.AspNetCore.Http;

namespace Portable.Hosting.AspNetCore;

/// <summary>
/// Reads an ASP.NET Core request into a portable <see cref="HttpRequestData"/>. Compiled into each adapter that hosts Kestrel
/// (Local, Gcp, Azure) from this one file, since Portable.Core must not reference ASP.NET Core.
/// </summary>
internal static class HttpRequestReader
{
    /// <summary>Reads the whole body, or returns null as soon as it is known to be over <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit) return null;
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

    /// <summary>A portable request with the method, the given path and body, and every header and query value.</summary>
    public static HttpRequestData ToRequestData(HttpContext context, string path, ReadOnlyMemory<byte> body)
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
