using System.Globalization;
using System.Text;

namespace Portable.Azure.Data;

/// <summary>
/// Document ids as Table Storage keys, reversibly. Keys cannot hold <c>/ \ # ?</c> (nor control characters, which the id rule
/// refuses), and a <c>%</c> or <c>'</c> in a key breaks addressing an entity by URL on Azure and Azurite, so these, and the
/// escape character <c>!</c> itself, are written as <c>!</c> and two hex digits (<c>a/b</c> is <c>a!2Fb</c>). A key holds at
/// most 1 KiB (512 UTF-16 code units): an id whose escaped form is longer (at most 256 bytes escaped three-fold, 768 code units)
/// is split, its start in the PartitionKey and the rest in the RowKey, each under the limit; shorter ids keep an empty RowKey.
/// </summary>
internal static class TableKey
{
    /// <summary>The longest key, in UTF-16 code units (1 KiB).</summary>
    public const int MaxKeyChars = 512;

    private const char Escape = '!';

    /// <summary>The PartitionKey and RowKey of a document id.</summary>
    public static (string PartitionKey, string RowKey) Encode(string id)
    {
        var whole = EncodePart(id);
        if (whole.Length <= MaxKeyChars) return (whole, "");
        var split = 0;
        var length = 0;
        while (split < id.Length)
        {
            var width = char.IsHighSurrogate(id[split]) && split + 1 < id.Length ? 2 : 1;
            var encoded = NeedsEscape(id[split]) ? 3 : width;
            if (length + encoded > MaxKeyChars) break;
            length += encoded;
            split += width;
        }

        return (EncodePart(id[..split]), EncodePart(id[split..]));
    }

    /// <summary>The document id of a PartitionKey and RowKey.</summary>
    public static string Decode(string partitionKey, string rowKey) => DecodePart(partitionKey) + DecodePart(rowKey);

    private static string EncodePart(string id)
    {
        if (!id.Any(NeedsEscape)) return id;
        var builder = new StringBuilder(id.Length + 8);
        foreach (var c in id)
        {
            if (NeedsEscape(c)) builder.Append(Escape).Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else builder.Append(c);
        }

        return builder.ToString();
    }

    private static string DecodePart(string key)
    {
        if (!key.Contains(Escape, StringComparison.Ordinal)) return key;
        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == Escape && i + 2 < key.Length
                && int.TryParse(key.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                builder.Append((char)code);
                i += 2;
            }
            else
            {
                builder.Append(key[i]);
            }
        }

        return builder.ToString();
    }

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '%' or '\'' or Escape || char.IsControl(c);
}
