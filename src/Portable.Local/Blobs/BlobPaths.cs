using System.Security.Cryptography;
using System.Text;

namespace Portable.Local.Blobs;

/// <summary>
/// Maps an object name to a relative file path that cannot leave the bucket's folder: each segment keeps ASCII letters, digits,
/// <c>.</c>, <c>_</c> and <c>-</c> and percent-encodes every other UTF-8 byte, and the file's last segment ends in <c>~</c> (which a
/// name's own <c>~</c> never produces, being encoded), so the object <c>a</c> (file <c>a~</c>) and the object <c>a/b</c> (folder
/// <c>a</c>) live side by side. A segment longer than a file name may be is replaced by its SHA-256. Names were checked with
/// <see cref="Portable.Blobs.BlobRules"/> first; a <c>.</c> or <c>..</c> segment is encoded all the same.
/// </summary>
internal static class BlobPaths
{
    /// <summary>The folder of uploads in progress in each bucket's folder: <c>%</c> followed by non-hex letters never comes from a name.</summary>
    public const string TempFolder = "%tmp";

    private const int MaxSegmentBytes = 200;

    public static string RelativePath(string name)
    {
        var segments = name.Split('/');
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < segments.Length; i++)
        {
            if (i > 0) builder.Append('/');
            builder.Append(Encode(segments[i]));
        }

        return builder.Append('~').ToString();
    }

    private static string Encode(string segment)
    {
        if (segment is "." or "..") return segment.Replace(".", "%2E", StringComparison.Ordinal); // never a way out, even unchecked
        var builder = new StringBuilder(segment.Length);
        foreach (var b in Encoding.UTF8.GetBytes(segment))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'.' or (byte)'_' or (byte)'-') builder.Append((char)b);
            else builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        // '#' would be encoded, so a hashed segment never equals an encoded one.
        return builder.Length <= MaxSegmentBytes ? builder.ToString() : "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(segment)));
    }
}
