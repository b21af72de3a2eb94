using System.Text;

namespace Portable.Blobs;

/// <summary>
/// The names and metadata every cloud's object store accepts alike, so that code that works locally works on S3, Cloud Storage and
/// Blob Storage. Every <see cref="IBlobStore"/> checks them before it calls its cloud, so a bad name fails the same way everywhere.
/// </summary>
public static class BlobRules
{
    /// <summary>The longest object name: 1024 bytes of UTF-8 (S3 and Cloud Storage; Blob Storage allows 1024 characters).</summary>
    public const int MaxNameBytes = 1024;

    /// <summary>The most metadata per object: 2 KB of keys and values together (S3's limit for user metadata, the smallest of the three).</summary>
    public const int MaxMetadataBytes = 2048;

    /// <summary>
    /// Checks a bucket name: 3 to 63 characters, lowercase ASCII letters, digits and hyphens, starting and ending with a letter or a
    /// digit, no two hyphens in a row (valid as an S3 bucket, a Cloud Storage bucket and an Azure container name).
    /// </summary>
    /// <param name="bucket">The bucket name.</param>
    /// <exception cref="ArgumentException">The name is not a portable bucket name; the message says why.</exception>
    public static void ValidateBucket(string bucket)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        var reason = bucket.Length is < 3 or > 63 ? "it must have 3 to 63 characters"
            : !bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') ? "it may hold only lowercase ASCII letters, digits and hyphens"
            : bucket[0] == '-' || bucket[^1] == '-' ? "it must start and end with a letter or a digit"
            : bucket.Contains("--", StringComparison.Ordinal) ? "it must not hold two hyphens in a row"
            : null;
        if (reason is not null)
        {
            throw new ArgumentException($"'{bucket}' is not a portable bucket name: {reason} (a name S3, Cloud Storage and Azure containers all accept).", nameof(bucket));
        }
    }

    /// <summary>
    /// Checks an object name: 1 to 1024 bytes of UTF-8, no control characters, not starting with <c>/</c>, not ending with <c>.</c>
    /// or <c>/</c>, and no <c>.</c> or <c>..</c> path segment (names that one of the clouds or a file system would change or refuse).
    /// Slashes make "folders" that listing by prefix can use.
    /// </summary>
    /// <param name="name">The object name.</param>
    /// <exception cref="ArgumentException">The name is not portable; the message says why.</exception>
    public static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var reason = Encoding.UTF8.GetByteCount(name) > MaxNameBytes ? $"it is longer than {MaxNameBytes} bytes of UTF-8"
            : name.Any(char.IsControl) ? "it holds a control character"
            : name.Any(char.IsSurrogate) && !IsWellFormed(name) ? "it holds a lone surrogate (not valid UTF-16)"
            : name[0] == '/' ? "it must not start with '/'"
            : name[^1] is '/' or '.' ? "it must not end with '/' or '.'"
            : name.Split('/').Any(segment => segment is "." or ".." or "") ? "it must not hold an empty, '.' or '..' path segment"
            : null;
        if (reason is not null)
        {
            throw new ArgumentException($"'{Shorten(name)}' is not a portable object name: {reason}.", nameof(name));
        }
    }

    /// <summary>
    /// Checks metadata: keys are an ASCII letter, then lowercase ASCII letters, digits and underscores (S3 lowercases keys and Azure
    /// needs identifiers); values are printable ASCII (they travel as HTTP headers); keys and values together at most 2 KB.
    /// </summary>
    /// <param name="metadata">The metadata, or null.</param>
    /// <exception cref="ArgumentException">A key or value is not portable, or the total is too large.</exception>
    public static void ValidateMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null) return;
        var total = 0;
        foreach (var (key, value) in metadata)
        {
            if (string.IsNullOrEmpty(key) || !char.IsAsciiLetterLower(key[0]) || !key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                throw new ArgumentException($"The metadata key '{key}' is not portable: use a lowercase ASCII letter, then lowercase letters, digits and underscores.", nameof(metadata));
            }

            if (value is null || !value.All(c => c is >= ' ' and <= '~'))
            {
                throw new ArgumentException($"The metadata value of '{key}' is not portable: use printable ASCII (it travels as an HTTP header).", nameof(metadata));
            }

            total += key.Length + value.Length;
        }

        if (total > MaxMetadataBytes)
        {
            throw new ArgumentException($"The metadata holds {total} bytes; at most {MaxMetadataBytes} bytes of keys and values are portable.", nameof(metadata));
        }
    }

    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
            else if (char.IsSurrogate(value[i])) return false;
        }

        return true;
    }

    private static string Shorten(string name) => name.Length <= 80 ? name : string.Concat(name.AsSpan(0, 77), "...");
}
