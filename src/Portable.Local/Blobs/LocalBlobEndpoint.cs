using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Portable.Blobs;
using Portable.Hosting.AspNetCore;

namespace Portable.Local.Blobs;

/// <summary>
/// <c>/_portable/buckets/{bucket}/objects/{name}</c>: <c>GET</c>/<c>HEAD</c> (with <c>Range</c>), <c>PUT</c> (the body streamed to the
/// store, up to <see cref="LocalOptions.MaxObjectUploadBytes"/>; <c>If-Match</c>/<c>If-None-Match: *</c> honoured) and <c>DELETE</c>.
/// Without signature parameters it is the loopback admin API; with them (a URL from <see cref="IBlobStore.GetSignedUrlAsync"/>) the
/// signature, the expiry and the access are checked, and a wrong, changed or expired URL answers 403.
/// The endpoint, and so its storage (the signing key, loaded through OpenSSL's random generator, and its SQLite table), is made at the
/// first object request by <see cref="Http.LocalHttpHandler"/>: an app that serves no object does not pay for it at its first answer.
/// </summary>
internal sealed partial class LocalBlobEndpoint(LocalBlobStorage storage, LocalOptions options, ILogger<LocalBlobEndpoint> log)
{
    public const string Prefix = "/_portable/buckets/";

    /// <summary>Whether a request carries signature parameters: it then has the authority of a signed URL, which this endpoint checks.</summary>
    public static bool IsSigned(IQueryCollection query) => query.ContainsKey("sig") || query.ContainsKey("expires") || query.ContainsKey("access");

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var method = request.Method;
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var parts = (query < 0 ? raw : raw[..query])[Prefix.Length..].Split('/', 3);
        if (parts.Length < 3 || parts[1] != "objects" || parts[2].Length == 0)
        {
            await WriteAsync(context, HttpResponseData.NotFound("Objects live at /_portable/buckets/{bucket}/objects/{name}.")).ConfigureAwait(false);
            return;
        }

        var bucket = Uri.UnescapeDataString(parts[0]);
        var name = Uri.UnescapeDataString(parts[2]);
        if (!storage.IsDeclared(bucket))
        {
            LogRefused(log, method, bucket, name, 404, "the app declares no such bucket");
            await WriteAsync(context, HttpResponseData.NotFound($"This app has no bucket '{bucket}' (declare it with builder.Resources.AddBucket(\"{bucket}\")).")).ConfigureAwait(false);
            return;
        }

        try
        {
            BlobRules.ValidateName(name);
        }
        catch (ArgumentException e)
        {
            LogRefused(log, method, bucket, name, 400, e.Message);
            await WriteAsync(context, HttpResponseData.Problem(400, "Bad Request", e.Message)).ConfigureAwait(false);
            return;
        }

        var access = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? "read" : HttpMethods.IsPut(method) ? "write" : HttpMethods.IsDelete(method) ? "delete" : null;
        if (access is null)
        {
            var refused = HttpResponseData.Problem(405, "Method Not Allowed", "Objects answer GET, HEAD, PUT and DELETE.");
            refused.Headers["Allow"] = "GET, HEAD, PUT, DELETE";
            await WriteAsync(context, refused).ConfigureAwait(false);
            return;
        }

        var q = request.Query;
        string? signedType = q["contentType"];
        if (IsSigned(q))
        {
            var reason = storage.Verify(bucket, name, access, q["expires"], q["access"], signedType, q["sig"]);
            if (reason is null && signedType is not null && !string.Equals(request.ContentType, signedType, StringComparison.OrdinalIgnoreCase))
            {
                reason = $"the URL was signed for Content-Type '{signedType}', the request sent '{request.ContentType}'";
            }

            if (reason is not null)
            {
                LogRefused(log, method, bucket, name, 403, reason);
                await WriteAsync(context, HttpResponseData.Problem(403, "Forbidden", $"The signed URL is not valid: {reason}.")).ConfigureAwait(false);
                return;
            }
        }

        try
        {
            await (access switch
            {
                "read" => ReadAsync(context, bucket, name),
                "write" => WriteObjectAsync(context, bucket, name),
                _ => DeleteAsync(context, bucket, name),
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller has gone; an unfinished upload left nothing behind.
        }
        catch (ConcurrencyConflictException e)
        {
            LogRefused(log, method, bucket, name, 412, e.Message);
            await WriteAsync(context, HttpResponseData.Problem(412, "Precondition Failed", e.Message)).ConfigureAwait(false);
        }
        catch (UploadTooLargeException e)
        {
            LogRefused(log, method, bucket, name, 413, e.Message);
            var refused = HttpResponseData.Problem(413, "Content Too Large", e.Message);
            refused.Headers["Connection"] = "close";
            await WriteAsync(context, refused).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            LogRefused(log, method, bucket, name, 400, e.Message);
            await WriteAsync(context, HttpResponseData.Problem(400, "Bad Request", $"The request body cannot be read: {e.Message}")).ConfigureAwait(false);
        }
    }

    private async Task ReadAsync(HttpContext context, string bucket, string name)
    {
        var response = context.Response;
        var properties = storage.Properties(bucket, name);
        if (properties is null)
        {
            await WriteAsync(context, HttpResponseData.NotFound($"There is no object '{name}' in bucket '{bucket}'.")).ConfigureAwait(false);
            return;
        }

        BlobRange? range = null;
        var status = 200;
        var header = context.Request.GetTypedHeaders().Range;
        if (header is { Unit.Value: "bytes", Ranges.Count: 1 })
        {
            var only = header.Ranges.First();
            var size = properties.Size;
            long from = only.From ?? Math.Max(0, size - (only.To ?? 0));
            long to = only.From is null ? size - 1 : Math.Min(only.To ?? size - 1, size - 1);
            if (from >= size || to < from)
            {
                var refused = HttpResponseData.Problem(416, "Range Not Satisfiable", $"The object has {size} bytes.");
                refused.Headers["Content-Range"] = $"bytes */{size}";
                await WriteAsync(context, refused).ConfigureAwait(false);
                return;
            }

            range = new BlobRange(from, to - from + 1);
            status = 206;
            response.Headers.ContentRange = $"bytes {from}-{to}/{size}";
        }

        var download = storage.Open(bucket, name, range);
        if (download is null)
        {
            await WriteAsync(context, HttpResponseData.NotFound($"There is no object '{name}' in bucket '{bucket}'.")).ConfigureAwait(false);
            return;
        }

        var found = download.Properties;
        response.StatusCode = status;
        response.ContentType = found.ContentType;
        response.Headers.ETag = $"\"{found.ETag}\"";
        response.Headers.LastModified = found.LastModified.ToString("R", CultureInfo.InvariantCulture);
        response.Headers.AcceptRanges = "bytes";
        response.ContentLength = download.Range is { } read ? Math.Min(read.Length ?? found.Size, found.Size - read.Offset) : found.Size;
        await using (download.ConfigureAwait(false))
        {
            if (HttpMethods.IsHead(context.Request.Method)) return;
            await download.Content.CopyToAsync(response.Body, 81920, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task WriteObjectAsync(HttpContext context, string bucket, string name)
    {
        var request = context.Request;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature) sizeFeature.MaxRequestBodySize = null; // checked below
        if (request.ContentLength > options.MaxObjectUploadBytes) throw new UploadTooLargeException(options.MaxObjectUploadBytes);
        var expected = request.Headers.IfNoneMatch.ToString() == "*" ? ExpectedVersion.None
            : request.Headers.IfMatch.ToString() is { Length: > 0 } match && match != "*" ? ExpectedVersion.Exactly(match.Trim().Trim('"'))
            : ExpectedVersion.Any;
        var stored = await storage.PutAsync(bucket, name, request.Body,
            new BlobPutOptions { ContentType = string.IsNullOrWhiteSpace(request.ContentType) ? "application/octet-stream" : request.ContentType, Expected = expected },
            options.MaxObjectUploadBytes, context.RequestAborted).ConfigureAwait(false);
        LogStored(log, bucket, name, stored.Size, stored.ETag);
        var response = new HttpResponseData(201);
        response.Headers["ETag"] = $"\"{stored.ETag}\"";
        response.Headers["Location"] = LocalBlobStorage.ObjectPath(bucket, name);
        await WriteAsync(context, response).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context, string bucket, string name)
    {
        var match = context.Request.Headers.IfMatch.ToString();
        var deleted = storage.Delete(bucket, name, match is { Length: > 0 } && match != "*" ? ExpectedVersion.Exactly(match.Trim().Trim('"')) : ExpectedVersion.Any);
        await WriteAsync(context, deleted ? new HttpResponseData(204) : HttpResponseData.NotFound($"There is no object '{name}' in bucket '{bucket}'.")).ConfigureAwait(false);
    }

    private static Task WriteAsync(HttpContext context, HttpResponseData response) => KestrelHttp.WriteAsync(context, response);

    [LoggerMessage(1, LogLevel.Warning, "{Method} of object {Bucket}/{Name} answered {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string bucket, string name, int status, string reason);

    [LoggerMessage(2, LogLevel.Information, "Object {Bucket}/{Name} stored through the local host ({Size} bytes, ETag {ETag})")]
    private static partial void LogStored(ILogger logger, string bucket, string name, long size, string etag);
}
