namespace Portable.Blobs;

/// <summary>An object being read: its properties and a stream of its content. Dispose it to release the connection or file.</summary>
public sealed class BlobDownload : IAsyncDisposable, IDisposable
{
    /// <summary>Wraps an open content stream.</summary>
    /// <param name="properties">The object's properties (<see cref="BlobProperties.Size"/> is the whole object's size, even for a range).</param>
    /// <param name="content">The content (or the range's bytes); owned by this download from now on.</param>
    /// <param name="range">The range that was read, or null for the whole object.</param>
    public BlobDownload(BlobProperties properties, Stream content, BlobRange? range = null)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentNullException.ThrowIfNull(content);
        Properties = properties;
        Content = content;
        Range = range;
    }

    /// <summary>The object's properties.</summary>
    public BlobProperties Properties { get; }

    /// <summary>The content: read it once, forward only.</summary>
    public Stream Content { get; }

    /// <summary>The range that was read, or null for the whole object.</summary>
    public BlobRange? Range { get; }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Content.DisposeAsync();

    /// <inheritdoc/>
    public void Dispose() => Content.Dispose();
}
