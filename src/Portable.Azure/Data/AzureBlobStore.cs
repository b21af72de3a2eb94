using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Portable.Blobs;
using BlobItem = Portable.Blobs.BlobItem;
using BlobProperties = Portable.Blobs.BlobProperties;

namespace Portable.Azure.Data;

/// <summary>
/// <see cref="IBlobStore"/> on Azure Blob Storage: one container per bucket (the bucket's name, which <see cref="BlobRules"/> keeps a
/// valid container name), created at the first write. Content is streamed both ways (block upload from the caller's stream, streamed
/// download); ETags lose their surrounding quotes; a failed condition (409/412) is a <see cref="ConcurrencyConflictException"/>.
/// Signed URLs are SAS URLs: a service SAS signed with the account key when the connection is a connection string (Azurite, keys),
/// else a user delegation SAS signed with a key the app's identity asks Blob Storage for (kept until an hour before it expires).
/// </summary>
internal sealed class AzureBlobStore : IBlobStore
{
    private static readonly TimeSpan DelegationKeyLifetime = TimeSpan.FromDays(7);
    private readonly Lazy<BlobContainerClient> _container;
    private Lazy<Task> _created;
    private readonly TimeProvider _time;
    private readonly AzureStorageClients _clients;
    private readonly SemaphoreSlim _keyLock = new(1, 1);
    private UserDelegationKey? _delegationKey;

    public AzureBlobStore(string bucket, AzureStorageClients clients, TimeProvider? time = null)
    {
        BlobRules.ValidateBucket(bucket);
        ArgumentNullException.ThrowIfNull(clients);
        Bucket = bucket;
        _time = time ?? TimeProvider.System;
        _clients = clients;
        _container = new Lazy<BlobContainerClient>(() => clients.Blobs.GetBlobContainerClient(bucket));
        _created = new Lazy<Task>(() => _container.Value.CreateIfNotExistsAsync());
    }

    public string Bucket { get; }

    private BlobContainerClient Container => _container.Value;

    public async Task<BlobProperties> PutAsync(string name, Stream content, BlobPutOptions? options, CancellationToken cancellationToken)
    {
        BlobRules.ValidateName(name);
        ArgumentNullException.ThrowIfNull(content);
        options ??= new BlobPutOptions();
        BlobRules.ValidateMetadata(options.Metadata);
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var blob = Container.GetBlobClient(name);
        var upload = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = options.ContentType },
            Metadata = options.Metadata is null ? null : new Dictionary<string, string>(options.Metadata, StringComparer.Ordinal),
            Conditions = Conditions(options.Expected),
        };
        try
        {
            await blob.UploadAsync(content, upload, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 && options.Expected.Kind != ExpectedVersionKind.Any)
        {
            throw new ConcurrencyConflictException(Bucket, name, options.Expected, e);
        }

        // The upload answers the ETag and time but not the size (the stream may not say): read the properties once.
        return await GetPropertiesAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The object '{name}' in bucket '{Bucket}' was written but is gone: it was deleted right after the write.");
    }

    public async Task<BlobDownload?> GetAsync(string name, BlobRange? range, CancellationToken cancellationToken)
    {
        BlobRules.ValidateName(name);
        range?.Validate();
        var blob = Container.GetBlobClient(name);
        try
        {
            var options = new BlobDownloadOptions();
            if (range is { } r) options.Range = new HttpRange(r.Offset, r.Length);
            var response = await blob.DownloadStreamingAsync(options, cancellationToken).ConfigureAwait(false);
            var details = response.Value.Details;
            var size = range is null ? details.ContentLength : TotalSize(details.ContentRange) ?? details.ContentLength;
            var properties = new BlobProperties(name, size, details.ContentType ?? "application/octet-stream", Unquote(details.ETag),
                details.LastModified, Copy(details.Metadata));
            return new BlobDownload(properties, response.Value.Content, range);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 416 && range is { } r)
        {
            // A range that starts at or past the end (or any range of an empty object) reads no bytes, as on every other store.
            var properties = await GetPropertiesAsync(name, cancellationToken).ConfigureAwait(false);
            return properties is null ? null : new BlobDownload(properties, Stream.Null, r);
        }
    }

    public async Task<BlobProperties?> GetPropertiesAsync(string name, CancellationToken cancellationToken)
    {
        BlobRules.ValidateName(name);
        try
        {
            var response = await Container.GetBlobClient(name).GetPropertiesAsync(conditions: null, cancellationToken).ConfigureAwait(false);
            var p = response.Value;
            return new BlobProperties(name, p.ContentLength, p.ContentType ?? "application/octet-stream", Unquote(p.ETag), p.LastModified, Copy(p.Metadata));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(string name, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        BlobRules.ValidateName(name);
        try
        {
            var response = await Container.GetBlobClient(name)
                .DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, Conditions(expected), cancellationToken).ConfigureAwait(false);
            if (!response.Value && expected.Kind == ExpectedVersionKind.Exactly) throw new ConcurrencyConflictException(Bucket, name, expected);
            return response.Value;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 && expected.Kind != ExpectedVersionKind.Any)
        {
            throw new ConcurrencyConflictException(Bucket, name, expected, e);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The container does not exist yet: nothing was ever written to the bucket.
            if (expected.Kind == ExpectedVersionKind.Exactly) throw new ConcurrencyConflictException(Bucket, name, expected, e);
            return false;
        }
    }

    public async Task<Page<BlobItem>> ListAsync(string? prefix, PageRequest request, CancellationToken cancellationToken)
    {
        var items = new List<BlobItem>(request.PageSize);
        try
        {
            var pages = Container.GetBlobsAsync(new GetBlobsOptions { Prefix = string.IsNullOrEmpty(prefix) ? null : prefix }, cancellationToken)
                .AsPages(request.ContinuationToken, request.PageSize);
            await foreach (var page in pages.ConfigureAwait(false))
            {
                foreach (var blob in page.Values)
                {
                    var p = blob.Properties;
                    items.Add(new BlobItem(blob.Name, p.ContentLength ?? 0, Unquote(p.ETag ?? default), p.LastModified ?? default));
                }

                return new Page<BlobItem>(items, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The container does not exist yet: an empty bucket.
        }

        return new Page<BlobItem>(items, null);
    }

    public async Task<Uri> GetSignedUrlAsync(string name, BlobSignedUrlOptions options, CancellationToken cancellationToken)
    {
        BlobRules.ValidateName(name);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // A browser's upload cannot create the container: make sure it exists before handing out a write URL.
        if (options.Access == BlobAccess.Write) await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var blob = Container.GetBlobClient(name);
        var now = _time.GetUtcNow();
        var sas = new BlobSasBuilder
        {
            BlobContainerName = Bucket,
            BlobName = name,
            Resource = "b",
            // A little before now, so that a clock a few minutes behind the service's still accepts the URL at once.
            StartsOn = now.AddMinutes(-5),
            ExpiresOn = now + options.ExpiresIn,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        sas.SetPermissions(options.Access == BlobAccess.Write ? BlobSasPermissions.Create | BlobSasPermissions.Write : BlobSasPermissions.Read);
        if (options.Access == BlobAccess.Write && options.ContentType is { } contentType) sas.ContentType = contentType;
        if (blob.CanGenerateSasUri) return blob.GenerateSasUri(sas);

        // An identity, not a key: sign with a user delegation key (the identity needs a Storage Blob Data role on the account).
        var key = await DelegationKeyAsync(now, sas.ExpiresOn, cancellationToken).ConfigureAwait(false);
        var query = sas.ToSasQueryParameters(key, Container.AccountName).ToString();
        return new UriBuilder(blob.Uri) { Query = query }.Uri;
    }

    private async Task<UserDelegationKey> DelegationKeyAsync(DateTimeOffset now, DateTimeOffset needed, CancellationToken cancellationToken)
    {
        await _keyLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_delegationKey is { } cached && cached.SignedExpiresOn >= needed && cached.SignedExpiresOn - now > TimeSpan.FromHours(1)) return cached;
            var service = _clients.Blobs;
            var response = await service.GetUserDelegationKeyAsync(new BlobGetUserDelegationKeyOptions(now + DelegationKeyLifetime) { StartsOn = now.AddMinutes(-5) }, cancellationToken).ConfigureAwait(false);
            _delegationKey = response.Value;
            return response.Value;
        }
        finally
        {
            _keyLock.Release();
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _created.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
            // Not cached as failed: the next write tries again (the identity's role may have been granted since).
            var failed = _created;
            Interlocked.CompareExchange(ref _created, new Lazy<Task>(() => _container.Value.CreateIfNotExistsAsync()), failed);
            throw;
        }
    }

    private static BlobRequestConditions? Conditions(ExpectedVersion expected) => expected.Kind switch
    {
        ExpectedVersionKind.None => new BlobRequestConditions { IfNoneMatch = ETag.All },
        ExpectedVersionKind.Exactly => new BlobRequestConditions { IfMatch = new ETag(Quote(expected.Version!)) },
        _ => null,
    };

    private static string Quote(string etag) => etag.StartsWith('"') ? etag : $"\"{etag}\"";

    private static string Unquote(ETag etag) => etag.ToString().Trim('"');

    private static long? TotalSize(string? contentRange)
        => contentRange is { } value && value.LastIndexOf('/') is var slash and >= 0 && long.TryParse(value.AsSpan(slash + 1), out var total) ? total : null;

    private static Dictionary<string, string> Copy(IDictionary<string, string>? metadata)
        => metadata is null ? new(StringComparer.Ordinal) : new(metadata, StringComparer.Ordinal);
}
