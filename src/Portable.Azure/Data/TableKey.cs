using System.Text;

namespace Portable.Azure.Data;

/// <summary>Document ids as Table Storage keys: the characters keys cannot hold (<c>/ \ # ?</c>, control characters) and <c>%</c> are percent-escaped.</summary>
internal static class TableKey
{
    public static string Encode(string id)
    {
        if (!id.Any(NeedsEscape)) return id;
        var builder = new StringBuilder(id.Length + 8);
        foreach (var c in id)
        {
            if (NeedsEscape(c)) builder.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            else builder.Append(c);
        }

        return builder.ToString();
    }

    public static string Decode(string key) => key.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(key) : key;

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c);
}
