using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;

namespace Portable.Aws.Data;

/// <summary>
/// A DynamoDB document's version, <c>{n}.{token}</c>: <c>n</c> counts the document's writes (1 for a create, +1 per update) and
/// <c>token</c> is the random write token its last write drew (12 bytes, base64url, 16 characters). The token makes a version
/// unique across delete and re-create (a counter alone restarts at 1), and it lets a retried write recognise its own earlier
/// success in the item's ring of the last <see cref="RingSize"/> tokens.
/// </summary>
internal readonly record struct DynamoDbVersion(long Counter, string Token)
{
    /// <summary>How many of the last write tokens an item keeps (attributes <c>w0</c> to <c>w31</c>, slot <c>n mod 32</c>).</summary>
    public const int RingSize = 32;

    private const int TokenLength = 16;

    /// <summary>The ring attribute for write <paramref name="counter"/>.</summary>
    public static string RingSlot(long counter) => "w" + (counter % RingSize).ToString(CultureInfo.InvariantCulture);

    /// <summary>A fresh random write token.</summary>
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));

    /// <summary>Parses a version this store issued; false for anything else (another store's version, a number, garbage).</summary>
    public static bool TryParse(string? text, out DynamoDbVersion version)
    {
        version = default;
        if (text is null) return false;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot is < 1 or > 19 || text[0] == '0' || text.Length - dot - 1 != TokenLength) return false;
        var counter = text.AsSpan(0, dot);
        var token = text.AsSpan(dot + 1);
        foreach (var c in counter)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }

        foreach (var c in token)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_') return false;
        }

        if (!long.TryParse(counter, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n == long.MaxValue) return false;
        version = new DynamoDbVersion(n, token.ToString());
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Counter.ToString(CultureInfo.InvariantCulture) + "." + Token;
}
