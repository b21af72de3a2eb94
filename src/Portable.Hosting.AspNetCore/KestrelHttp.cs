using System.Buffers;
using Microsoft.AspNetCore.Http;
using Portable.Hosting;

namespace Portable.Hosting.AspNetCore;

/// <summary>
/// Translates between ASP.NET Core and the portable request and response, for every Kestrel-based host: the body read up to
/// the adapter's limit (413 past it), malformed framing answered 400, a request the caller abandoned answered with nothing,
/// and the portable response written back (no body for <c>HEAD</c>).
/// </summary>
public static class KestrelHttp
{
    /// <summary>
    /// Pooled bodies: one pool for every thread (the shared pool keeps an array per thread, so large bodies answered on
    /// different threads would each keep their own), at most two arrays of a size.
    /// </summary>
    private static readonly ArrayPool<byte> Bodies = ArrayPool<byte>.Create(Array.MaxLength, 2);

    /// <summary>Reads the request, lets <paramref name="handle"/> answer it, and writes the answer.</summary>
    /// <param name="context">The ASP.NET Core request.</param>
    /// <param name="path">The path the portable request gets (a host may strip a prefix).</param>
    /// <param name="dispatcher">Gives the 413 and 400 answers, and logs them.</param>
    /// <param name="limit">The largest body accepted, in bytes.</param>
    /// <param name="limitSetting">The setting that changes the limit, named in the 413 answer.</param>
    /// <param name="handle">Answers the portable request.</param>
    /// <returns>A task that completes when the answer is written.</returns>
    public static Task ServeAsync(HttpContext context, string path, HttpDispatcher dispatcher, long limit, string limitSetting,
        Func<HttpRequestData, CancellationToken, Task<HttpResponseData>> handle)
        => ServeAsync(context, path, dispatcher, limit, limitSetting, handle, poolBody: false);

    /// <summary>
    /// Reads the request, lets <paramref name="handle"/> answer it, and writes the answer; with <paramref name="poolBody"/>, the
    /// body is read into a pooled buffer that is returned once the answer is written, so a stream of large bodies reuses the
    /// same memory instead of growing the heap. Pool only when <paramref name="handle"/> keeps nothing of the body (it copies
    /// what it decodes): the buffer is reused by a later request.
    /// </summary>
    /// <param name="context">The ASP.NET Core request.</param>
    /// <param name="path">The path the portable request gets (a host may strip a prefix).</param>
    /// <param name="dispatcher">Gives the 413 and 400 answers, and logs them.</param>
    /// <param name="limit">The largest body accepted, in bytes.</param>
    /// <param name="limitSetting">The setting that changes the limit, named in the 413 answer.</param>
    /// <param name="handle">Answers the portable request.</param>
    /// <param name="poolBody">Whether the body may live in a pooled buffer, valid only until the answer is written.</param>
    /// <returns>A task that completes when the answer is written.</returns>
    public static async Task ServeAsync(HttpContext context, string path, HttpDispatcher dispatcher, long limit, string limitSetting,
        Func<HttpRequestData, CancellationToken, Task<HttpResponseData>> handle, bool poolBody)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(handle);
        HttpResponseData response;
        Body? body;
        try
        {
            body = await ReadBodyAsync(context, limit, poolBody).ConfigureAwait(false);
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            return; // the caller has gone: nobody is left to answer
        }
        catch (Exception e) when (IsFramingError(e))
        {
            // The body cannot be read, so the connection cannot be reused either.
            response = dispatcher.BadRequest(context.Request.Method, path, $"The request body cannot be read: {e.Message}");
            response.Headers["Connection"] = "close";
            await WriteAsync(context, response).ConfigureAwait(false);
            return;
        }

        // A large body's memory is given back once it is answered (LargeInvocations), after the pooled buffer is returned.
        using var large = LargeInvocations.Begin(body?.Length ?? 0);
        try
        {
            response = body is not { } read
                ? dispatcher.TooLarge(context.Request.Method, path, limit, limitSetting)
                : await handle(ToRequestData(context, path, read.Array.AsMemory(0, read.Length)), context.RequestAborted).ConfigureAwait(false);
            await WriteAsync(context, response).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller has gone.
        }
        catch (Exception e) when (IsFramingError(e) && !context.Response.HasStarted)
        {
            // Kestrel may find a framing error (a trailer it cannot decode) only after the body was read: still the caller's.
            response = dispatcher.BadRequest(context.Request.Method, path, $"The request cannot be read: {e.Message}");
            response.Headers["Connection"] = "close";
            await WriteAsync(context, response).ConfigureAwait(false);
        }
        finally
        {
            if (body is { Pooled: true } pooled) Bodies.Return(pooled.Array);
        }
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

    /// <summary>
    /// Reads the whole request body into one array of its exact size (straight from the connection when <c>Content-Length</c> is
    /// sent, else assembled from pooled segments), or returns null as soon as it is known to be over <paramref name="limit"/> bytes.
    /// For a host that reads a body itself rather than through <see cref="ServeAsync(HttpContext, string, HttpDispatcher, long, string, Func{HttpRequestData, CancellationToken, Task{HttpResponseData}}, bool)"/>.
    /// </summary>
    /// <param name="context">The ASP.NET Core request; its <c>RequestAborted</c> cancels the read.</param>
    /// <param name="limit">The largest body accepted, in bytes.</param>
    /// <returns>The body, or null when it is over the limit.</returns>
    public static async Task<byte[]?> ReadBodyAsync(HttpContext context, long limit)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await ReadBodyAsync(context, limit, pool: false).ConfigureAwait(false) is { } body ? body.Array : null;
    }

    /// <summary>
    /// Reads the whole body into one array (of its exact size, or pooled when <paramref name="pool"/>), or returns null as soon as
    /// it is known to be over <paramref name="limit"/> bytes. A body of announced length is read straight into its array; a
    /// chunked one into pooled segments, copied once into the array at the end. Nothing else holds a copy, so a body costs its
    /// size (twice, briefly, when chunked).
    /// </summary>
    private static async Task<Body?> ReadBodyAsync(HttpContext context, long limit, bool pool)
    {
        var stream = context.Request.Body;
        var cancellationToken = context.RequestAborted;
        if (context.Request.ContentLength is { } length)
        {
            if (length > limit || length > Array.MaxLength) return null;
            if (length == 0) return new Body([], 0, false);
            var exact = Allocate((int)length, pool);
            try
            {
                await stream.ReadExactlyAsync(exact.AsMemory(0, (int)length), cancellationToken).ConfigureAwait(false);
            }
            catch when (pool)
            {
                Bodies.Return(exact);
                throw;
            }

            return new Body(exact, (int)length, pool);
        }

        const int SegmentSize = 64 * 1024;
        List<byte[]> segments = [];
        long total = 0;
        try
        {
            var segment = ArrayPool<byte>.Shared.Rent(SegmentSize);
            segments.Add(segment);
            var filled = 0;
            int read;
            while ((read = await stream.ReadAsync(segment.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > limit || total > Array.MaxLength) return null;
                filled += read;
                if (filled < segment.Length) continue;
                segment = ArrayPool<byte>.Shared.Rent(SegmentSize);
                segments.Add(segment);
                filled = 0;
            }

            pool &= total > 0;
            var body = Allocate((int)total, pool);
            var offset = 0;
            foreach (var part in segments)
            {
                var count = (int)Math.Min(part.Length, total - offset);
                part.AsSpan(0, count).CopyTo(body.AsSpan(offset));
                offset += count;
            }

            return new Body(body, (int)total, pool);
        }
        finally
        {
            foreach (var part in segments) ArrayPool<byte>.Shared.Return(part);
        }
    }

    private static byte[] Allocate(int length, bool pool) => pool ? Bodies.Rent(length) : GC.AllocateUninitializedArray<byte>(length);

    /// <summary>
    /// Kestrel reports malformed framing as <see cref="BadHttpRequestException"/>, but a chunk size over 64 bits as an
    /// <see cref="IOException"/> around an <see cref="OverflowException"/>, and a trailer it cannot decode (a byte such as 0xFF)
    /// as <see cref="InvalidOperationException"/>. While the caller is still there, any of them means the body cannot be read.
    /// </summary>
    private static bool IsFramingError(Exception e) => e is BadHttpRequestException or InvalidOperationException or IOException;

    /// <summary>A body read: its bytes are the first <see cref="Length"/> of <see cref="Array"/>, which is rented when <see cref="Pooled"/>.</summary>
    private readonly record struct Body(byte[] Array, int Length, bool Pooled);

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
