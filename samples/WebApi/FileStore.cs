using System.Collections.Concurrent;

namespace WebApi;

/// <summary>Uploaded files, in memory (a sample: a real app would put them in a blob store).</summary>
public sealed class FileStore
{
    private readonly ConcurrentDictionary<string, StoredFile> _files = new(StringComparer.Ordinal);

    /// <summary>Keeps a file.</summary>
    public void Put(string name, byte[] bytes, string contentType) => _files[name] = new StoredFile(bytes, contentType);

    /// <summary>A file, or null.</summary>
    public StoredFile? Get(string name) => _files.GetValueOrDefault(name);
}

/// <summary>A stored file.</summary>
/// <param name="Bytes">Its content.</param>
/// <param name="ContentType">Its media type.</param>
public sealed record StoredFile(byte[] Bytes, string ContentType);
