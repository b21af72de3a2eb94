using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portable.Blobs;

namespace Portable.Aws.Data;

/// <summary>
/// <see cref="IBlobStore"/> on S3, through <see cref="S3Client"/> (no AWS SDK). One bucket: the declared name, or the physical
/// name the deployment passes in <c>PORTABLE_BUCKET_{NAME}</c>.
/// <list type="bullet">
/// <item>Put: a seekable stream of at most 16 MiB in one <c>PutObject</c>, streamed from the caller's stream; any other by
/// multipart upload, one 8 MiB part at a time in a pooled buffer (a stream that ends within the first part is one
/// <c>PutObject</c> of that buffer), the upload aborted when anything fails or is cancelled. Conditions are S3's conditional
/// writes: <c>If-None-Match: *</c> for <see cref="ExpectedVersion.None"/>, <c>If-Match</c> for <see cref="ExpectedVersion.Exactly"/>
/// (on <c>CompleteMultipartUpload</c> for a multipart upload); 412 and 409 are a <see cref="ConcurrencyConflictException"/>.</item>
/// <item>Get: <c>GetObject</c> with <c>Range</c>, streamed; a range past the end (416) reads no bytes.</item>
/// <item>Delete: <c>DeleteObject</c>, with <c>If-Match</c> for <see cref="ExpectedVersion.Exactly"/>. S3 answers 204 whether or
/// not the object existed, so an unconditional delete asks <c>HeadObject</c> first only to say whether there was one.</item>
/// <item>List: <c>ListObjectsV2</c> (S3 lists keys in UTF-8 byte order), its XML read with <see cref="S3XmlReader"/> (a page of at most 1,000 keys, read whole).</item>
/// </list>
/// Metadata travels as <c>x-amz-meta-*</c> headers; ETags lose their quotes.
/// </summary>
internal sealed partial class S3BlobStore : IBlobStore
{
    /// <summary>The largest seekable content sent in one <c>PutObject</c>.</summary>
    public const long SinglePutLimit = 16 * 1024 * 1024;

    /// <summary>The size of a multipart upload's parts (S3 takes 5 MiB to 5 GiB, at most 10,000 parts).</summary>
    public const int PartSize = 8 * 1024 * 1024;

    private const string MetaPrefix = "x-amz-meta-";
    private static readonly IReadOnlyList<KeyValuePair<string, string>> NoQuery = [];
    private static readonly BlobPutOptions Defaults = new();
    private readonly S3Client _s3;
    private readonly string _physical;
    private readonly ILogger _log;

    public S3BlobStore(string bucket, AwsConnection connection, AwsResourceNames names, ILogger<S3BlobStore>? log = null)
    {
        BlobRules.ValidateBucket(bucket);
        Bucket = bucket;
        _physical = names.Bucket(bucket);
        _s3 = connection.S3;
        _log = (ILogger?)log ?? NullLogger.Instance;
    }

    public string Bucket { get; }

    public async Task<BlobProperties> PutAsync(string name, Stream content, BlobPutOptions? options, CancellationToken cancellationToken)
    {
        BlobRules.ValidateName(name);
        ArgumentNullException.ThrowIfNull(content);
        options ??= Defaults;
        BlobRules.ValidateMetadata(options.Metadata);
        var headers = ObjectHeaders(options);
        if (content.CanSeek && content.Length - content.Position <= SinglePutLimit)
        {
            var start = content.Position;
            var length = content.Length - start;
            return await PutOnceAsync(name, () => new ReplayableStreamContent(content, start, length), length, options, headers, cancellationToken).ConfigureAwait(false);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(PartSize);
        try
        {
            var filled = await FillAsync(content, buffer, cancellationToken).ConfigureAwait(false);
            if (filled < PartSize)
            {
                return await PutOnceAsync(name, () => new ByteArrayContent(buffer, 0, filled), filled, options, headers, cancellationToken).ConfigureAwait(false);
            }

            return await PutMultipartAsync(name, content, buffer, options, headers, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task<BlobDownload?> GetAsync(string name, BlobRange? range, CancellationToken cancellationToken)
    {
        BlobRules.ValidateName(name);
        range?.Validate();
        IReadOnlyList<KeyValuePair<string, string>> headers = range is { } r ? [new("Range", r.ToHttpRange())] : [];
        var response = await _s3.SendAsync("GetObject", HttpMethod.Get, _physical, name, NoQuery, headers, null, null,
            status => status is HttpStatusCode.NotFound or HttpStatusCode.RequestedRangeNotSatisfiable, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                response.Dispose();
                return null;
            }

            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                response.Dispose();
                return await GetPropertiesAsync(name, cancellationToken).ConfigureAwait(false) is { } found ? new BlobDownload(found, Stream.Null, range) : null;
            }

            var properties = Properties(name, response);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            if (range is { } asked && response.StatusCode == HttpStatusCode.OK && (asked.Offset > 0 || asked.Length < properties.Size))
            {
                // A server that ignored the range (S3 honours it): the whole object came, so the range is cut from it here.
                stream = new RangeStream(stream, asked.Offset, asked.Length);
            }

            return new BlobDownload(properties, new ResponseStream(response, stream), range);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<BlobProperties?> GetPropertiesAsync(string name, CancellationToken cancellationToken)
    {
        BlobRules.ValidateName(name);
        using var response = await _s3.SendAsync("HeadObject", HttpMethod.Head, _physical, name, NoQuery, [], null, null,
            status => status == HttpStatusCode.NotFound, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null : Properties(name, response);
    }

    public async Task<bool> DeleteAsync(string name, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        BlobRules.ValidateName(name);
        if (expected.Kind != ExpectedVersionKind.Exactly)
        {
            // S3 answers 204 for a key that is not there: HeadObject says whether there was an object to delete.
            var existing = await GetPropertiesAsync(name, cancellationToken).ConfigureAwait(false);
            if (existing is null) return false;
            if (expected.Kind == ExpectedVersionKind.None) throw new ConcurrencyConflictException(Bucket, name, expected);
            using var _ = await _s3.SendAsync("DeleteObject", HttpMethod.Delete, _physical, name, NoQuery, [], null, null, null,
                HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            return true;
        }

        using var response = await _s3.SendAsync("DeleteObject", HttpMethod.Delete, _physical, name, NoQuery, [new("If-Match", Quote(expected.Version!))], null, null,
            IsConflict, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfConflictAsync("DeleteObject", response, name, expected, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<Page<BlobItem>> ListAsync(string? prefix, PageRequest request, CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("list-type", "2"),
            new("max-keys", request.PageSize.ToString(CultureInfo.InvariantCulture)),
        };
        if (!string.IsNullOrEmpty(prefix)) query.Add(new("prefix", prefix));
        if (!string.IsNullOrEmpty(request.ContinuationToken)) query.Add(new("continuation-token", request.ContinuationToken));
        using var response = await _s3.SendAsync("ListObjectsV2", HttpMethod.Get, _physical, null, query, [], null, null, null,
            HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var xml = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false); // one page: at most 1,000 keys
        return ReadListing(xml, cancellationToken);
    }

    public async Task<Uri> GetSignedUrlAsync(string name, BlobSignedUrlOptions options, CancellationToken cancellationToken)
    {
        BlobRules.ValidateName(name);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var connection = _s3.Connection;
        var credentials = await connection.Credentials.GetAsync(cancellationToken).ConfigureAwait(false);
        var (url, path) = _s3.Url(_physical, name, "");
        var write = options.Access == BlobAccess.Write;
        return S3Presigner.Presign(write ? "PUT" : "GET", url, path, connection.Region, credentials, connection.Time.GetUtcNow(), options.ExpiresIn,
            write ? options.ContentType : null);
    }

    /// <summary>Reads a <c>ListBucketResult</c>: its <c>Contents</c> and <c>NextContinuationToken</c>.</summary>
    /// <exception cref="S3XmlException">The answer is not well-formed XML, not a <c>ListBucketResult</c>, or lists an object without a key.</exception>
    internal static Page<BlobItem> ReadListing(byte[] xml, CancellationToken cancellationToken)
    {
        var items = new List<BlobItem>();
        string? next = null;
        var reader = new S3XmlReader(xml);
        reader.Read();
        if (reader.LocalName != "ListBucketResult") throw new S3XmlException($"S3 ListObjectsV2 answered <{reader.LocalName}>, not <ListBucketResult>.");
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (reader.Node != S3XmlNode.Start || reader.Depth != 1) continue;
            switch (reader.LocalName)
            {
                case "NextContinuationToken": next = reader.ReadText(); break;
                case "Contents": items.Add(ReadContents(reader)); break;
                default: reader.Skip(); break;
            }
        }

        return new Page<BlobItem>(items, string.IsNullOrEmpty(next) ? null : next);
    }

    /// <summary>Reads one <c>Contents</c> element, the reader on its start; leaves the reader on its end.</summary>
    private static BlobItem ReadContents(S3XmlReader reader)
    {
        string? key = null, etag = null;
        long size = 0;
        var modified = DateTimeOffset.MinValue;
        var depth = reader.Depth;
        while (reader.Read() && !(reader.Node == S3XmlNode.End && reader.Depth == depth))
        {
            if (reader.Node != S3XmlNode.Start) continue;
            switch (reader.LocalName)
            {
                case "Key": key = reader.ReadText(); break;
                case "ETag": etag = Unquote(reader.ReadText()); break;
                case "Size": size = long.Parse(reader.ReadText(), NumberStyles.None, CultureInfo.InvariantCulture); break;
                case "LastModified": modified = S3Client.ParseTime(reader.ReadText()); break;
                default: reader.Skip(); break;
            }
        }

        return new BlobItem(key ?? throw new S3XmlException("S3 listed an object without a Key."), size, etag ?? "", modified);
    }

    private async Task<BlobProperties> PutOnceAsync(
        string name, Func<HttpContent> content, long length, BlobPutOptions options, List<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var all = new List<KeyValuePair<string, string>>(headers);
        AddCondition(all, options.Expected);
        using var response = await _s3.SendAsync("PutObject", HttpMethod.Put, _physical, name, NoQuery, all, content, null,
            IsConflict, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfConflictAsync("PutObject", response, name, options.Expected, cancellationToken).ConfigureAwait(false);
        return Stored(name, length, options, Unquote(Header(response, "ETag")), response.Headers.Date);
    }

    private async Task<BlobProperties> PutMultipartAsync(
        string name, Stream content, byte[] buffer, BlobPutOptions options, List<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        string uploadId;
        using (var created = await _s3.SendAsync("CreateMultipartUpload", HttpMethod.Post, _physical, name, [new("uploads", "")], headers, null, null, null,
            HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false))
        {
            var xml = await created.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            uploadId = ReadElement(xml, "UploadId") ?? throw new AwsServiceException($"S3 CreateMultipartUpload for '{name}' in bucket '{_physical}' answered no UploadId.");
        }

        var parts = new List<string>();
        long size = 0;
        try
        {
            var filled = PartSize; // the caller filled the first part
            while (filled > 0)
            {
                var number = (parts.Count + 1).ToString(CultureInfo.InvariantCulture);
                var count = filled;
                using (var part = await _s3.SendAsync("UploadPart", HttpMethod.Put, _physical, name, [new("partNumber", number), new("uploadId", uploadId)], [],
                    () => new ByteArrayContent(buffer, 0, count), null, null, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false))
                {
                    parts.Add(Header(part, "ETag") ?? throw new AwsServiceException($"S3 UploadPart {number} of '{name}' answered no ETag."));
                }

                size += filled;
                if (filled < PartSize) break;
                filled = await FillAsync(content, buffer, cancellationToken).ConfigureAwait(false);
            }

            var body = CompleteBody(parts);
            var conditions = new List<KeyValuePair<string, string>> { new("Content-Type", "application/xml") };
            AddCondition(conditions, options.Expected);
            using var completed = await _s3.SendAsync("CompleteMultipartUpload", HttpMethod.Post, _physical, name, [new("uploadId", uploadId)], conditions,
                () => new ByteArrayContent(body), SigV4.PayloadHash(body), IsConflict, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            await ThrowIfConflictAsync("CompleteMultipartUpload", completed, name, options.Expected, cancellationToken).ConfigureAwait(false);
            var answer = await completed.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (S3Client.ReadError(answer) is { Code: { } code } error)
            {
                // S3 may answer 200 and then an error, once it has started answering.
                throw new AwsServiceException($"S3 CompleteMultipartUpload of '{name}' in bucket '{_physical}' failed: {code}: {error.Message}");
            }

            var etag = Unquote(ReadElement(answer, "ETag") ?? Header(completed, "ETag"));
            return Stored(name, size, options, etag, completed.Headers.Date);
        }
        catch (Exception e)
        {
            LogMultipartAborted(_log, Bucket, name, parts.Count, e.GetType().Name, e.Message);
            await AbortAsync(name, uploadId).ConfigureAwait(false);
            throw;
        }
    }

    private async Task AbortAsync(string name, string uploadId)
    {
        try
        {
            // Not the caller's token: it may be the reason to abort; the parts would be kept (and billed) until the bucket's lifecycle rule.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var _ = await _s3.SendAsync("AbortMultipartUpload", HttpMethod.Delete, _physical, name, [new("uploadId", uploadId)], [], null, null,
                status => status == HttpStatusCode.NotFound, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The abort is best effort after a failure that is being thrown; its own failure is logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogAbortFailed(_log, Bucket, name, uploadId, e.Message);
        }
    }

    /// <summary>Throws the conflict of a conditional write's answer; a 404 that is not about the object (no such bucket) as the refusal it is.</summary>
    private async Task ThrowIfConflictAsync(string action, HttpResponseMessage response, string name, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        if (!IsConflict(response.StatusCode)) return;
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            var refusal = await S3Client.RefusalAsync(action, response, cancellationToken).ConfigureAwait(false);
            if (expected.Kind != ExpectedVersionKind.Exactly || refusal.ErrorCode is not ("NoSuchKey" or "NotFound")) throw refusal;
        }

        LogConflict(_log, Bucket, name, expected.ToString(), (int)response.StatusCode);
        throw new ConcurrencyConflictException(Bucket, name, expected);
    }

    /// <summary>412 (the condition failed), 409 (a concurrent conditional write won) or 404 (an <c>If-Match</c> on no object).</summary>
    private static bool IsConflict(HttpStatusCode status) => status is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict or HttpStatusCode.NotFound;

    private static void AddCondition(List<KeyValuePair<string, string>> headers, ExpectedVersion expected)
    {
        switch (expected.Kind)
        {
            case ExpectedVersionKind.None: headers.Add(new("If-None-Match", "*")); break;
            case ExpectedVersionKind.Exactly: headers.Add(new("If-Match", Quote(expected.Version!))); break;
        }
    }

    private static List<KeyValuePair<string, string>> ObjectHeaders(BlobPutOptions options)
    {
        var headers = new List<KeyValuePair<string, string>> { new("Content-Type", options.ContentType) };
        foreach (var (key, value) in options.Metadata ?? new Dictionary<string, string>()) headers.Add(new(MetaPrefix + key, value));
        return headers;
    }

    private BlobProperties Stored(string name, long size, BlobPutOptions options, string? etag, DateTimeOffset? date)
        => new(name, size, options.ContentType, etag ?? "", date ?? _s3.Connection.Time.GetUtcNow(),
            options.Metadata is { } metadata ? new Dictionary<string, string>(metadata, StringComparer.Ordinal) : new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>The properties in a <c>GetObject</c> or <c>HeadObject</c> answer; the size of a range's object from <c>Content-Range</c>.</summary>
    private static BlobProperties Properties(string name, HttpResponseMessage response)
    {
        var content = response.Content.Headers;
        var size = content.ContentRange is { Length: { } total } ? total : content.ContentLength ?? 0;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (header, values) in response.Headers)
        {
            if (header.StartsWith(MetaPrefix, StringComparison.OrdinalIgnoreCase)) metadata[header[MetaPrefix.Length..].ToLowerInvariant()] = string.Join(',', values);
        }

        var type = content.TryGetValues("Content-Type", out var types) ? types.First() : "application/octet-stream";
        return new BlobProperties(name, size, type, Unquote(Header(response, "ETag")) ?? "", content.LastModified ?? DateTimeOffset.MinValue, metadata);
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string Quote(string etag) => etag.StartsWith('"') ? etag : '"' + etag + '"';

    private static string? Unquote(string? etag) => etag?.Trim().Trim('"');

    private static byte[] CompleteBody(List<string> parts)
    {
        var xml = new StringBuilder("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        for (var i = 0; i < parts.Count; i++)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<Part><PartNumber>{i + 1}</PartNumber><ETag>{SecurityElement(parts[i])}</ETag></Part>");
        }

        return Encoding.UTF8.GetBytes(xml.Append("</CompleteMultipartUpload>").ToString());
    }

    private static string SecurityElement(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    /// <summary>The text of the first element named <paramref name="name"/> in a small XML answer.</summary>
    internal static string? ReadElement(byte[] xml, string name)
    {
        if (xml.Length == 0) return null;
        var reader = new S3XmlReader(xml);
        while (reader.Read())
        {
            if (reader.Node == S3XmlNode.Start && reader.LocalName == name) return reader.ReadText();
        }

        return null;
    }

    /// <summary>Reads into <paramref name="buffer"/> until it holds <see cref="PartSize"/> bytes or the stream ends.</summary>
    private static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < PartSize)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled, PartSize - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            filled += read;
        }

        return filled;
    }

    [LoggerMessage(1, LogLevel.Information, "S3 refused a conditional change of {ObjectName} in bucket {Bucket} (expected {Expected}): answered {Status}")]
    private static partial void LogConflict(ILogger logger, string bucket, string objectName, string expected, int status);

    [LoggerMessage(2, LogLevel.Warning, "Multipart upload of {ObjectName} to bucket {Bucket} failed after {Parts} parts ({Error}: {Reason}); aborting it")]
    private static partial void LogMultipartAborted(ILogger logger, string bucket, string objectName, int parts, string error, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Could not abort multipart upload {UploadId} of {ObjectName} in bucket {Bucket}: {Reason}. Its parts stay until a lifecycle rule removes incomplete uploads")]
    private static partial void LogAbortFailed(ILogger logger, string bucket, string objectName, string uploadId, string reason);
}
