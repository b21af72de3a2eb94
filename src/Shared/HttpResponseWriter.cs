using Microsoft.AspNetCore.Http;

namespace Portable.Hosting.AspNetCore;

/// <summary>
/// Writes a portable <see cref="HttpResponseData"/> to an ASP.NET Core response. Compiled into each adapter that hosts Kestrel
/// (Local, Gcp, Azure) from this one file, since Portable.Core must not reference ASP.NET Core.
/// </summary>
internal static class HttpResponseWriter
{
    public static async Task WriteAsync(HttpContext context, HttpResponseData response)
    {
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
}
