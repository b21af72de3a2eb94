using Portable.Blobs;

namespace Portable.Local.Blobs;

/// <summary><see cref="IBlobStore"/> for one bucket of the local host (<see cref="LocalBlobStorage"/>); registered keyed by the bucket's name.</summary>
internal sealed class LocalBlobStore(string bucket, LocalBlobStorage storage) : IBlobStore
{
    public string Bucket => bucket;

    public Task<BlobProperties> PutAsync(string name, Stream content, BlobPutOptions? options, CancellationToken cancellationToken)
        => storage.PutAsync(bucket, name, content, options, limit: null, cancellationToken);

    public Task<BlobDownload?> GetAsync(string name, BlobRange? range, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(storage.Open(bucket, name, range));
    }

    public Task<BlobProperties?> GetPropertiesAsync(string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(storage.Properties(bucket, name));
    }

    public Task<bool> DeleteAsync(string name, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(storage.Delete(bucket, name, expected));
    }

    public Task<Page<BlobItem>> ListAsync(string? prefix, PageRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(storage.List(bucket, prefix, request));
    }

    public Task<Uri> GetSignedUrlAsync(string name, BlobSignedUrlOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(storage.SignedUrl(bucket, name, options));
    }
}
