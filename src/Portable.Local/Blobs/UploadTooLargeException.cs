namespace Portable.Local.Blobs;

/// <summary>An upload through the local host went past <see cref="LocalOptions.MaxObjectUploadBytes"/>; answered 413.</summary>
internal sealed class UploadTooLargeException(long limit) : Exception($"The object is larger than {limit} bytes (Portable:Local:MaxObjectUploadBytes).")
{
    public long Limit { get; } = limit;
}
