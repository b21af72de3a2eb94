using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portable.Blobs;
using Portable.Gcp.Auth;

namespace Portable.Gcp.Storage;

/// <summary>
/// <see cref="IBlobStore"/> on Cloud Storage's JSON API (v1), spoken directly like Firestore and Pub/Sub (no Google client
/// library restores here). One bucket: <c>PORTABLE_BUCKET_{NAME}</c> when set, else <c>{project}-{name}</c>, the name deploy.sh
/// gives it (and the event mapping maps back).
/// <list type="bullet">
/// <item>Put: the content is read into one pooled 8 MiB buffer; a stream that ends within it is one <c>uploadType=multipart</c>
/// request (the object's JSON resource with its content type and <c>metadata</c>, then the bytes: one request carries both, where
/// <c>uploadType=media</c> could not carry metadata); a longer one is a resumable upload (<c>uploadType=resumable</c>, started
/// with the same JSON resource) sent one 8 MiB chunk at a time (a multiple of 256 KiB, as Cloud Storage requires), so at most one
/// chunk is ever in memory. A chunk that fails is resumed from what the session reports it persisted (<c>308</c> and
/// <c>Range</c>); a failed upload's session is cancelled. Conditions are preconditions: <c>ifGenerationMatch=0</c> for
/// <see cref="ExpectedVersion.None"/>, <c>ifGenerationMatch={generation}</c> for <see cref="ExpectedVersion.Exactly"/>; 412 is a
/// <see cref="ConcurrencyConflictException"/>, and so is an expected version that is not a generation (no object can have it).</item>
/// <item>Get: the object's resource, then <c>alt=media</c> with <c>ifGenerationMatch</c> of that generation and <c>Range</c>,
/// streamed, so that the properties and the bytes are of the same generation (a write in between reads again). A range from
/// the end on reads no bytes (Cloud Storage would answer 416).</item>
/// <item>Delete: <c>DELETE</c>, with <c>ifGenerationMatch</c> for <see cref="ExpectedVersion.Exactly"/>.</item>
/// <item>List: <c>objects.list</c> with <c>prefix</c>, <c>maxResults</c> and <c>pageToken</c>; Cloud Storage lists names in
/// lexicographic order of their UTF-8 bytes, the order <see cref="IBlobStore.ListAsync"/> promises.</item>
/// </list>
/// The ETag is the object's <c>generation</c> (a decimal string), the value Cloud Storage's storage events carry, so an event's
/// ETag works as an <see cref="ExpectedVersion"/> here. Retries follow Google's client libraries: reads, conditional writes and
/// deletes, resumable chunks and signBlob are retried on 408, 429, 5xx and network failures; an unconditional upload or delete
/// is sent once (repeating it could overwrite or delete a newer object). A conditional write whose answer is lost and whose retry
/// then fails its precondition reports a conflict although the first attempt may have been applied (Google's clients do the same).
/// </summary>
internal sealed partial class GcsBlobStore : IBlobStore
{
    /// <summary>The resumable upload's chunk, and the largest content sent in one request: 8 MiB (32 × 256 KiB).</summary>
    public const int ChunkSize = 8 * 1024 * 1024;

    private static readonly BlobPutOptions Defaults = new();
    private readonly GoogleApiClient _api;
    private readonly GcsUrlSigning _signing;
    private readonly GcpSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private string? _physical;

    public GcsBlobStore(string bucket, GoogleApiClient api, GcsUrlSigning signing, GcpSettings settings, TimeProvider time, ILogger<GcsBlobStore>? log = null)
    {
        BlobRules.ValidateBucket(bucket);
        Bucket = bucket;
        _api = api;
        _signing = signing;
        _settings = settings;
        _time = time;
        _log = (ILogger?)log ?? NullLogger.Instance;
    }

    public string Bucket { get; }

    /// <summary>The physical bucket: <c>PORTABLE_BUCKET_{NAME}</c>, else <c>{project}-{name}</c>.</summary>
    public async Task<string> PhysicalBucketAsync(CancellationToken cancellationToken)
        => _physical ??= _settings.BucketOverride(Bucket) ?? await _api.GetProjectIdAsync(cancellationToken).ConfigureAwait(false) + "-" + Bucket;

    public async Task<BlobProperties> PutAsync(string name, Stream content, BlobPutOptions? options, CancellationToken cancellationToken)
    {
        BlobRules.ValidateName(name);
        ArgumentNullException.ThrowIfNull(content);
        options ??= Defaults;
        BlobRules.ValidateMetadata(options.Metadata);
        var generation = Precondition(name, options.Expected);
        var bucket = await PhysicalBucketAsync(cancellationToken).ConfigureAwait(false);
        var resource = ObjectResource(name, options);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            var filled = await FillAsync(content, buffer, cancellationToken).ConfigureAwait(false);
            return filled < ChunkSize
                ? await PutOnceAsync(bucket, name, options, generation, resource, buffer, filled, cancellationToken).ConfigureAwait(false)
                : await PutResumableAsync(bucket, name, options, generation, resource, content, buffer, cancellationToken).ConfigureAwait(false);
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
        for (var attempt = 1; ; attempt++)
        {
            var properties = await GetPropertiesAsync(name, cancellationToken).ConfigureAwait(false);
            if (properties is null) return null;
            if (range is { } r && r.Offset >= properties.Size) return new BlobDownload(properties, Stream.Null, range);
            var url = await ObjectUrlAsync(name, cancellationToken).ConfigureAwait(false) + "?alt=media&ifGenerationMatch=" + properties.ETag;
            var response = await _api.SendWithRetriesAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (range is { } asked) request.Headers.TryAddWithoutValidation("Range", asked.ToHttpRange());
                return request;
            }, _api.StorageEmulated, cancellationToken, completion: HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (response!.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                response.Dispose();
                return new BlobDownload(properties, Stream.Null, range);
            }

            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed && attempt < 3)
            {
                // Replaced or deleted between the two reads: read the properties of what is there now.
                response.Dispose();
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                using (response)
                {
                    throw await FailureAsync($"Reading '{name}'", response, cancellationToken).ConfigureAwait(false);
                }
            }

            try
            {
                return new BlobDownload(properties, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), range);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
    }

    public async Task<BlobProperties?> GetPropertiesAsync(string name, CancellationToken cancellationToken)
    {
        BlobRules.ValidateName(name);
        var url = await ObjectUrlAsync(name, cancellationToken).ConfigureAwait(false);
        using var response = await _api.ReadWithRetriesAsync(() => new HttpRequestMessage(HttpMethod.Get, url), _api.StorageEmulated, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode) throw await FailureAsync($"Reading the properties of '{name}'", response, cancellationToken).ConfigureAwait(false);
        return await ReadObjectAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string name, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        BlobRules.ValidateName(name);
        if (expected.Kind == ExpectedVersionKind.None)
        {
            // "Only if absent" deletes nothing: it conflicts when an object is there.
            return await GetPropertiesAsync(name, cancellationToken).ConfigureAwait(false) is null ? false : throw Conflict(name, expected, 412);
        }

        var generation = Precondition(name, expected);
        var url = await ObjectUrlAsync(name, cancellationToken).ConfigureAwait(false) + (generation is { } g ? "?ifGenerationMatch=" + g : "");
        var attempts = new StrongBox<int>(1);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, url), retry: generation is not null, cancellationToken, attempts).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return true;
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            // A conditional delete retried after a lost answer finds the object gone: the first attempt deleted it.
            if (generation is null || attempts.Value > 1) return generation is not null;
            throw Conflict(name, expected, 404);
        }

        if (response.StatusCode == HttpStatusCode.PreconditionFailed) throw Conflict(name, expected, 412);
        throw await FailureAsync($"Deleting '{name}'", response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Page<BlobItem>> ListAsync(string? prefix, PageRequest request, CancellationToken cancellationToken)
    {
        var bucket = await PhysicalBucketAsync(cancellationToken).ConfigureAwait(false);
        var url = $"{_api.StorageBase}storage/v1/b/{Uri.EscapeDataString(bucket)}/o?maxResults={request.PageSize.ToString(CultureInfo.InvariantCulture)}";
        if (!string.IsNullOrEmpty(prefix)) url += "&prefix=" + Uri.EscapeDataString(prefix);
        if (!string.IsNullOrEmpty(request.ContinuationToken)) url += "&pageToken=" + Uri.EscapeDataString(request.ContinuationToken);
        using var response = await _api.ReadWithRetriesAsync(() => new HttpRequestMessage(HttpMethod.Get, url), _api.StorageEmulated, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await FailureAsync($"Listing '{prefix}*'", response, cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), default, cancellationToken).ConfigureAwait(false);
        var items = new List<BlobItem>();
        if (document.RootElement.TryGetProperty("items", out var listed))
        {
            foreach (var item in listed.EnumerateArray())
            {
                var properties = Properties(item);
                items.Add(new BlobItem(properties.Name, properties.Size, properties.ETag, properties.LastModified));
            }
        }

        var next = document.RootElement.TryGetProperty("nextPageToken", out var token) ? token.GetString() : null;
        return new Page<BlobItem>(items, string.IsNullOrEmpty(next) ? null : next);
    }

    public async Task<Uri> GetSignedUrlAsync(string name, BlobSignedUrlOptions options, CancellationToken cancellationToken)
    {
        BlobRules.ValidateName(name);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var bucket = await PhysicalBucketAsync(cancellationToken).ConfigureAwait(false);
        var signer = await _signing.GetAsync(cancellationToken).ConfigureAwait(false);
        var write = options.Access == BlobAccess.Write;
        var headers = write && options.ContentType is { } type ? new Dictionary<string, string> { ["content-type"] = type } : null;
        var request = new GcsV4Signer.Request(write ? "PUT" : "GET", _api.StorageBase, bucket, name, _time.GetUtcNow(), (long)Math.Ceiling(options.ExpiresIn.TotalSeconds), headers);
        var url = await GcsV4Signer.SignAsync(request, signer.Email, signer.Sign, cancellationToken).ConfigureAwait(false);
        LogSigned(_log, Bucket, name, options.Access, signer.Email, signer.Local ? "a service account key" : "IAM signBlob", request.ExpiresSeconds);
        return new Uri(url);
    }

    /// <summary>One multipart upload: the JSON resource, then the bytes.</summary>
    private async Task<BlobProperties> PutOnceAsync(
        string bucket, string name, BlobPutOptions options, long? generation, byte[] resource, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        var url = $"{_api.StorageBase}upload/storage/v1/b/{Uri.EscapeDataString(bucket)}/o?uploadType=multipart" + Condition(generation);
        var boundary = "portable-" + Guid.NewGuid().ToString("N");
        HttpRequestMessage Create()
        {
            var body = new MultipartContent("related", boundary);
            var json = new ByteArrayContent(resource);
            json.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
            body.Add(json);
            var media = new ByteArrayContent(buffer, 0, count);
            media.Headers.TryAddWithoutValidation("Content-Type", options.ContentType);
            body.Add(media);
            return new HttpRequestMessage(HttpMethod.Post, url) { Content = body };
        }

        // Google's clients retry an upload only when it is conditional: an unconditional one repeated could replace a newer object.
        using var response = await SendAsync(Create, retry: generation is not null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.PreconditionFailed) throw Conflict(name, options.Expected, 412);
        if (!response.IsSuccessStatusCode) throw await FailureAsync($"Uploading '{name}'", response, cancellationToken).ConfigureAwait(false);
        return await ReadObjectAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A resumable upload, one chunk at a time from <paramref name="buffer"/>, which holds the first chunk.</summary>
    private async Task<BlobProperties> PutResumableAsync(
        string bucket, string name, BlobPutOptions options, long? generation, byte[] resource, Stream content, byte[] buffer, CancellationToken cancellationToken)
    {
        var url = $"{_api.StorageBase}upload/storage/v1/b/{Uri.EscapeDataString(bucket)}/o?uploadType=resumable" + Condition(generation);
        Uri session;
        // Starting a session stores nothing, so it is retried whatever the condition.
        using (var started = (await _api.SendWithRetriesAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = GoogleApiClient.Json(resource) };
            request.Headers.TryAddWithoutValidation("X-Upload-Content-Type", options.ContentType);
            return request;
        }, _api.StorageEmulated, cancellationToken).ConfigureAwait(false))!)
        {
            if (started.StatusCode == HttpStatusCode.PreconditionFailed) throw Conflict(name, options.Expected, 412);
            if (!started.IsSuccessStatusCode) throw await FailureAsync($"Starting the upload of '{name}'", started, cancellationToken).ConfigureAwait(false);
            session = started.Headers.Location ?? throw new HttpRequestException($"Cloud Storage started the upload of '{name}' without a session URI (Location).");
        }

        long offset = 0;
        var chunks = 0;
        try
        {
            var filled = ChunkSize;
            while (true)
            {
                var last = filled < ChunkSize;
                var done = await SendChunkAsync(session, name, options.Expected, buffer, filled, offset, last ? offset + filled : null, cancellationToken).ConfigureAwait(false);
                chunks++;
                offset += filled;
                if (done is not null) return done;
                filled = await FillAsync(content, buffer, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            if (e is not ConcurrencyConflictException) LogUploadFailed(_log, Bucket, name, chunks, offset, e.GetType().Name, e.Message);
            await CancelAsync(session, name).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="count"/> bytes at <paramref name="offset"/> to the session (the last chunk when <paramref name="total"/>
    /// is given, then the object's properties are returned). After a transient failure the session's status says how much it
    /// persisted, and the rest of the chunk is sent again.
    /// </summary>
    private async Task<BlobProperties?> SendChunkAsync(
        Uri session, string name, ExpectedVersion expected, byte[] buffer, int count, long offset, long? total, CancellationToken cancellationToken)
    {
        var sent = 0;
        for (var attempt = 1; ; attempt++)
        {
            var left = count - sent;
            var range = left > 0
                ? $"bytes {offset + sent}-{offset + count - 1}/{(total is { } t ? t.ToString(CultureInfo.InvariantCulture) : "*")}"
                : $"bytes */{total ?? offset}";
            HttpResponseMessage? response = null;
            try
            {
                var chunk = new ByteArrayContent(buffer, sent, left);
                chunk.Headers.TryAddWithoutValidation("Content-Range", range);
                using var request = new HttpRequestMessage(HttpMethod.Put, session) { Content = chunk };
                response = await _api.SendAsync(request, _api.StorageEmulated, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < GoogleApiClient.MaxAttempts && GoogleApiClient.IsTransient(e, cancellationToken))
            {
                LogChunkRetried(_log, Bucket, name, offset + sent, e.Message);
            }

            using (response)
            {
                if (response is not null)
                {
                    if (response.IsSuccessStatusCode)
                    {
                        if (total is null) throw new HttpRequestException($"Cloud Storage finished the upload of '{name}' before its last chunk.");
                        return await ReadObjectAsync(response, cancellationToken).ConfigureAwait(false);
                    }

                    if (response.StatusCode == HttpStatusCode.PreconditionFailed) throw Conflict(name, expected, 412);
                    if ((int)response.StatusCode == 308)
                    {
                        var persisted = Persisted(response);
                        if (total is null && persisted == offset + count) return null; // the chunk is stored
                        sent = Resume(persisted, offset, count, name);
                        if (attempt >= GoogleApiClient.MaxAttempts) throw new HttpRequestException($"Cloud Storage kept {persisted} bytes of '{name}' after {attempt} attempts at the chunk at {offset}.");
                        continue; // an incomplete chunk (or a final one missing bytes): send the rest now
                    }

                    if (!GoogleApiClient.IsTransient(response.StatusCode) || attempt >= GoogleApiClient.MaxAttempts)
                    {
                        throw await FailureAsync($"Uploading '{name}' (bytes from {offset + sent})", response, cancellationToken).ConfigureAwait(false);
                    }

                    LogChunkRetried(_log, Bucket, name, offset + sent, $"answered {(int)response.StatusCode}");
                }
            }

            await GoogleApiClient.BackoffAsync(attempt, cancellationToken).ConfigureAwait(false);
            var status = await QueryAsync(session, name, cancellationToken).ConfigureAwait(false);
            if (status.Done is { } finished)
            {
                if (total is null) throw new HttpRequestException($"Cloud Storage finished the upload of '{name}' before its last chunk.");
                return finished;
            }

            if (total is null && status.Persisted == offset + count) return null;
            sent = Resume(status.Persisted, offset, count, name);
        }
    }

    /// <summary>Asks the session how much it has (<c>Content-Range: bytes */*</c>): 308 with <c>Range</c>, or the finished object.</summary>
    private async Task<(long Persisted, BlobProperties? Done)> QueryAsync(Uri session, string name, CancellationToken cancellationToken)
    {
        using var response = (await _api.SendWithRetriesAsync(() =>
        {
            var empty = new ByteArrayContent([]);
            empty.Headers.TryAddWithoutValidation("Content-Range", "bytes */*");
            return new HttpRequestMessage(HttpMethod.Put, session) { Content = empty };
        }, _api.StorageEmulated, cancellationToken).ConfigureAwait(false))!;
        if ((int)response.StatusCode == 308) return (Persisted(response), null);
        if (response.IsSuccessStatusCode) return (0, await ReadObjectAsync(response, cancellationToken).ConfigureAwait(false));
        throw await FailureAsync($"Asking how much of '{name}' was uploaded", response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The bytes persisted, from a 308's <c>Range: bytes=0-N</c> (none without it).</summary>
    private static long Persisted(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Range", out var values)) return 0;
        var value = values.First();
        var dash = value.LastIndexOf('-');
        return dash > 0 && long.TryParse(value.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last + 1
            : throw new HttpRequestException($"Cloud Storage answered the upload with an unreadable Range '{value}'.");
    }

    /// <summary>Where in the chunk to go on from, given what the session persisted; it cannot have lost an earlier chunk.</summary>
    private static int Resume(long persisted, long offset, int count, string name)
        => persisted >= offset && persisted <= offset + count
            ? (int)(persisted - offset)
            : throw new HttpRequestException($"Cloud Storage holds {persisted} bytes of the upload of '{name}', outside the chunk {offset}-{offset + count} being sent.");

    /// <summary>Cancels a resumable session after a failure (best effort, not the caller's token, which may be why it failed).</summary>
    private async Task CancelAsync(Uri session, string name)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var request = new HttpRequestMessage(HttpMethod.Delete, session);
            using var _ = await _api.SendAsync(request, _api.StorageEmulated, timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort after a failure that is being thrown; an abandoned session expires by itself after a week.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogCancelFailed(_log, Bucket, name, e.Message);
        }
    }

    /// <summary>Sends a request with retries when it is idempotent, once otherwise.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, bool retry, CancellationToken cancellationToken, StrongBox<int>? attempts = null)
    {
        if (retry) return (await _api.SendWithRetriesAsync(create, _api.StorageEmulated, cancellationToken, attempts).ConfigureAwait(false))!;
        using var request = create();
        return await _api.SendAsync(request, _api.StorageEmulated, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> ObjectUrlAsync(string name, CancellationToken cancellationToken)
        => $"{_api.StorageBase}storage/v1/b/{Uri.EscapeDataString(await PhysicalBucketAsync(cancellationToken).ConfigureAwait(false))}/o/{Uri.EscapeDataString(name)}";

    /// <summary>The generation a condition names (0 for "absent"), null for none; a version that is no generation conflicts at once.</summary>
    private long? Precondition(string name, ExpectedVersion expected) => expected.Kind switch
    {
        ExpectedVersionKind.None => 0,
        ExpectedVersionKind.Exactly => long.TryParse(expected.Version, NumberStyles.None, CultureInfo.InvariantCulture, out var generation) && generation > 0
            ? generation
            : throw Conflict(name, expected, 0),
        _ => null,
    };

    private static string Condition(long? generation) => generation is { } g ? "&ifGenerationMatch=" + g.ToString(CultureInfo.InvariantCulture) : "";

    private ConcurrencyConflictException Conflict(string name, ExpectedVersion expected, int status)
    {
        LogConflict(_log, Bucket, name, expected.ToString(), status);
        return new ConcurrencyConflictException(Bucket, name, expected);
    }

    private async Task<HttpRequestException> FailureAsync(string what, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var (_, body) = await GoogleApiClient.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return GoogleApiClient.Failure($"{what} in Cloud Storage bucket '{_physical}' (declared '{Bucket}')", response, body);
    }

    /// <summary>The object's JSON resource for an upload: name, content type and metadata.</summary>
    private static byte[] ObjectResource(string name, BlobPutOptions options)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("contentType", options.ContentType);
            if (options.Metadata is { Count: > 0 } metadata)
            {
                json.WriteStartObject("metadata");
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static async Task<BlobProperties> ReadObjectAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(body);
        return Properties(document.RootElement);
    }

    /// <summary>An object resource's properties: <c>generation</c> as the ETag, <c>size</c> and <c>generation</c> being decimal strings.</summary>
    private static BlobProperties Properties(JsonElement item)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (item.TryGetProperty("metadata", out var custom) && custom.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in custom.EnumerateObject()) metadata[entry.Name] = entry.Value.GetString() ?? "";
        }

        return new BlobProperties(
            item.GetProperty("name").GetString()!,
            Number(item, "size"),
            item.TryGetProperty("contentType", out var type) && type.GetString() is { Length: > 0 } t ? t : "application/octet-stream",
            Number(item, "generation").ToString(CultureInfo.InvariantCulture),
            item.TryGetProperty("updated", out var updated) && updated.TryGetDateTimeOffset(out var time) ? time : DateTimeOffset.MinValue,
            metadata);
    }

    private static long Number(JsonElement item, string name)
        => item.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => long.Parse(value.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture),
            JsonValueKind.Number => value.GetInt64(),
            _ => throw new JsonException($"Cloud Storage's object resource has a '{name}' that is not a number."),
        } : throw new JsonException($"Cloud Storage's object resource has no '{name}'.");

    /// <summary>Reads into <paramref name="buffer"/> until it holds <see cref="ChunkSize"/> bytes or the stream ends.</summary>
    private static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < ChunkSize)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled, ChunkSize - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            filled += read;
        }

        return filled;
    }

    [LoggerMessage(1, LogLevel.Information, "Cloud Storage refused a conditional change of {ObjectName} in bucket {Bucket} (expected {Expected}): {Status}")]
    private static partial void LogConflict(ILogger logger, string bucket, string objectName, string expected, int status);

    [LoggerMessage(2, LogLevel.Warning, "Resumable upload of {ObjectName} to bucket {Bucket} failed after {Chunks} chunks ({Bytes} bytes) ({Error}: {Reason}); cancelling its session")]
    private static partial void LogUploadFailed(ILogger logger, string bucket, string objectName, int chunks, long bytes, string error, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Could not cancel the upload session of {ObjectName} in bucket {Bucket}: {Reason}. Cloud Storage drops it after a week")]
    private static partial void LogCancelFailed(ILogger logger, string bucket, string objectName, string reason);

    [LoggerMessage(4, LogLevel.Information, "Upload of {ObjectName} to bucket {Bucket} failed at byte {Offset} ({Reason}); resuming from what the session kept")]
    private static partial void LogChunkRetried(ILogger logger, string bucket, string objectName, long offset, string reason);

    [LoggerMessage(5, LogLevel.Debug, "Signed a {Access} URL for {ObjectName} in bucket {Bucket} as {Account} with {Signer}, valid {Seconds} s")]
    private static partial void LogSigned(ILogger logger, string bucket, string objectName, BlobAccess access, string account, string signer, long seconds);
}
