namespace Portable.Blobs;

/// <summary>
/// Stores files (objects) by name in one bucket: S3 on AWS, Cloud Storage on Google Cloud, Blob Storage on Azure, a folder locally.
/// Content is streamed in and out, never buffered whole. Every object has an ETag that changes on every write, used as the version
/// in conditional writes and deletes (<see cref="ExpectedVersion"/>), as with repositories.
/// </summary>
/// <remarks>
/// Declare the bucket with <c>builder.Resources.AddBucket("receipts")</c> and take it in a constructor as
/// <c>[FromKeyedServices("receipts")] IBlobStore receipts</c>: the deployment files then grant that function access to that bucket only.
/// Names follow <see cref="BlobRules"/>: the same name is valid on every cloud.
/// </remarks>
public interface IBlobStore
{
    /// <summary>The bucket's declared (logical) name.</summary>
    string Bucket { get; }

    /// <summary>Writes an object from a stream, replacing one of the same name unless <see cref="BlobPutOptions.Expected"/> says otherwise.</summary>
    /// <param name="name">The object name (<see cref="BlobRules.ValidateName"/>).</param>
    /// <param name="content">The content, read to its end; a stream that cannot seek is streamed as it is read.</param>
    /// <param name="options">Content type, metadata and the write condition; null for <c>application/octet-stream</c>, no metadata, unconditional.</param>
    /// <param name="cancellationToken">Cancels the write; a cancelled write leaves the previous object (or none) in place.</param>
    /// <returns>The stored object's properties, with its new ETag.</returns>
    /// <exception cref="ConcurrencyConflictException">The condition in <see cref="BlobPutOptions.Expected"/> does not hold.</exception>
    /// <exception cref="ArgumentException">The name or metadata is not portable.</exception>
    Task<BlobProperties> PutAsync(string name, Stream content, BlobPutOptions? options, CancellationToken cancellationToken);

    /// <summary>Reads an object, or part of it.</summary>
    /// <param name="name">The object name.</param>
    /// <param name="range">The bytes to read; null for all. A range that starts at or past the end reads no bytes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The object's properties and a stream of its content (dispose it), or null when there is no such object.</returns>
    Task<BlobDownload?> GetAsync(string name, BlobRange? range, CancellationToken cancellationToken);

    /// <summary>Reads an object's properties without its content.</summary>
    /// <param name="name">The object name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The properties, or null when there is no such object.</returns>
    Task<BlobProperties?> GetPropertiesAsync(string name, CancellationToken cancellationToken);

    /// <summary>Deletes an object.</summary>
    /// <param name="name">The object name.</param>
    /// <param name="expected">What the object's ETag must be for the delete to happen (<see cref="ExpectedVersion.Any"/> for unconditional).</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>True when an object was deleted, false when there was none.</returns>
    /// <exception cref="ConcurrencyConflictException">The object's ETag is not the expected one.</exception>
    Task<bool> DeleteAsync(string name, ExpectedVersion expected, CancellationToken cancellationToken);

    /// <summary>Lists objects whose names start with a prefix, in ordinal (UTF-8 byte) order of their names, one page at a time.</summary>
    /// <param name="prefix">The name prefix; null or empty for every object.</param>
    /// <param name="request">The page size and the continuation token of the previous page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One page and the token for the next, null after the last page.</returns>
    Task<Page<BlobItem>> ListAsync(string? prefix, PageRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Makes a URL that lets whoever holds it read or write one object directly, without credentials, until it expires: an S3
    /// SigV4 pre-signed URL, a Cloud Storage V4 signed URL, an Azure SAS URL, or a URL the local host signs and checks.
    /// </summary>
    /// <param name="name">The object name.</param>
    /// <param name="options">Read or write, how long it is valid, and for a write the content type the upload must send.</param>
    /// <param name="cancellationToken">Cancels the signing (on some clouds signing asks a service for a key or a signature).</param>
    /// <returns>The absolute URL.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The lifetime is not between 1 second and 7 days.</exception>
    Task<Uri> GetSignedUrlAsync(string name, BlobSignedUrlOptions options, CancellationToken cancellationToken);
}
