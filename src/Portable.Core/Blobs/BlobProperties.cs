namespace Portable.Blobs;

/// <summary>What is known about a stored object besides its content.</summary>
/// <param name="Name">The object name.</param>
/// <param name="Size">The whole object's size in bytes.</param>
/// <param name="ContentType">The content type it was stored with.</param>
/// <param name="ETag">The object's version: changes on every write; without surrounding quotes. Use it with <see cref="ExpectedVersion.Exactly"/>.</param>
/// <param name="LastModified">When it was last written.</param>
/// <param name="Metadata">The metadata it was stored with (keys as <see cref="BlobRules.ValidateMetadata"/> allows).</param>
public sealed record BlobProperties(
    string Name,
    long Size,
    string ContentType,
    string ETag,
    DateTimeOffset LastModified,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>One object in a listing: the facts every cloud's listing returns (no content type or metadata: read those with <see cref="IBlobStore.GetPropertiesAsync"/>).</summary>
/// <param name="Name">The object name.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="ETag">Its version, without surrounding quotes.</param>
/// <param name="LastModified">When it was last written.</param>
public sealed record BlobItem(string Name, long Size, string ETag, DateTimeOffset LastModified);

/// <summary>A byte range of an object: from <paramref name="Offset"/>, <paramref name="Length"/> bytes or to the end.</summary>
/// <param name="Offset">The first byte, from 0.</param>
/// <param name="Length">How many bytes; null to the end. A range longer than the object ends at its end.</param>
public readonly record struct BlobRange(long Offset, long? Length = null)
{
    /// <summary>Checks that the range is well formed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset is negative or the length is not positive.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Offset, nameof(Offset));
        if (Length is { } length) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length, nameof(Length));
    }

    /// <summary>The range as an HTTP <c>Range</c> header value, such as <c>bytes=10-19</c> or <c>bytes=10-</c>.</summary>
    /// <returns>The header value.</returns>
    public string ToHttpRange() => Length is { } length ? $"bytes={Offset}-{Offset + length - 1}" : $"bytes={Offset}-";
}

/// <summary>How an object is written.</summary>
public sealed class BlobPutOptions
{
    /// <summary>The content type stored with the object and sent when it is downloaded. Default <c>application/octet-stream</c>.</summary>
    public string ContentType { get; init; } = "application/octet-stream";

    /// <summary>Metadata stored with the object (<see cref="BlobRules.ValidateMetadata"/>). Default none.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>
    /// The write's condition: <see cref="ExpectedVersion.Any"/> (default) writes whatever is there, <see cref="ExpectedVersion.None"/>
    /// only when no object has the name, <see cref="ExpectedVersion.Exactly"/> only when the object's ETag is the given one.
    /// </summary>
    public ExpectedVersion Expected { get; init; } = ExpectedVersion.Any;
}

/// <summary>What a signed URL allows.</summary>
public enum BlobAccess
{
    /// <summary>Download the object with <c>GET</c>.</summary>
    Read,

    /// <summary>Upload the object with <c>PUT</c> (the body is the content; the <c>Content-Type</c> header must be <see cref="BlobSignedUrlOptions.ContentType"/> when set).</summary>
    Write,
}

/// <summary>What a signed URL allows and for how long.</summary>
public sealed class BlobSignedUrlOptions
{
    /// <summary>The longest lifetime every cloud accepts: 7 days (the limit of S3 SigV4 and Cloud Storage V4 signatures).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);

    /// <summary>Read (download) or write (upload). Default read.</summary>
    public BlobAccess Access { get; init; } = BlobAccess.Read;

    /// <summary>How long the URL is valid, from now: 1 second to 7 days. Default 15 minutes.</summary>
    public TimeSpan ExpiresIn { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>For a write: the content type the upload must send (it is part of the signature where the cloud supports that). Default none.</summary>
    public string? ContentType { get; init; }

    /// <summary>Checks the lifetime.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The lifetime is not between 1 second and <see cref="MaxLifetime"/>.</exception>
    public void Validate()
    {
        if (ExpiresIn < TimeSpan.FromSeconds(1) || ExpiresIn > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(ExpiresIn), ExpiresIn, "A signed URL lives from 1 second to 7 days (the longest every cloud signs).");
        }
    }
}
