using Portable.Blobs;

namespace Portable.Local.Blobs;

/// <summary>One object's row in the store: where its file is and its properties.</summary>
internal sealed record BlobRow(string Name, string Path, long Size, string ContentType, string ETag, long Modified, Dictionary<string, string>? Metadata)
{
    public BlobProperties ToProperties() => new(Name, Size, ContentType, ETag, DateTimeOffset.FromUnixTimeMilliseconds(Modified),
        Metadata ?? new Dictionary<string, string>(StringComparer.Ordinal));
}
