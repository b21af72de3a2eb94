using System.Globalization;
using System.Text;

namespace Portable.Gcp.Firestore;

/// <summary>
/// Escapes a portable document id into a Firestore document id and back, exactly. Firestore ids cannot contain <c>/</c>, cannot be
/// <c>.</c> or <c>..</c>, and cannot match <c>__.*__</c>; so <c>%</c> is written <c>%25</c> and <c>/</c> <c>%2F</c>, the ids
/// <c>.</c> and <c>..</c> become <c>%2E</c> and <c>%2E%2E</c>, and an id of the reserved form starts with <c>%5F</c>. Every other
/// character is kept, so the stored id reads as the id in the console and lists in nearly the same order. The worst case, 256 bytes
/// of <c>/</c>, escapes to 768 bytes, within Firestore's 1,500.
/// </summary>
internal static class FirestoreDocumentId
{
    public static string Escape(string id)
    {
        var escaped = id.Contains('%', StringComparison.Ordinal) || id.Contains('/', StringComparison.Ordinal)
            ? id.Replace("%", "%25", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal)
            : id;
        if (escaped is "." or "..") return escaped.Replace(".", "%2E", StringComparison.Ordinal);
        if (escaped.Length >= 4 && escaped.StartsWith("__", StringComparison.Ordinal) && escaped.EndsWith("__", StringComparison.Ordinal)) return "%5F" + escaped[1..];
        return escaped;
    }

    public static string Unescape(string stored)
    {
        if (!stored.Contains('%', StringComparison.Ordinal)) return stored;
        var id = new StringBuilder(stored.Length);
        for (var i = 0; i < stored.Length; i++)
        {
            if (stored[i] == '%' && i + 2 < stored.Length && byte.TryParse(stored.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var ascii) && ascii < 0x80)
            {
                id.Append((char)ascii);
                i += 2;
            }
            else
            {
                id.Append(stored[i]);
            }
        }

        return id.ToString();
    }
}
