using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;

namespace Portable.Gcp.Firestore;

/// <summary>
/// A Firestore document's version, <c>{n}.{token}.{updateTime}</c>: <c>n</c> counts the document's conditional writes (1 for a
/// create), <c>token</c> is the random write token of its last write (12 bytes, base64url, 16 characters), and <c>updateTime</c>
/// is Firestore's own, which the next write sends as its <c>currentDocument.updateTime</c> precondition. The token makes a version
/// unique across delete and re-create, and lets a retried write recognise its own earlier success in the document's ring of the
/// last <see cref="RingSize"/> tokens.
/// </summary>
internal readonly record struct FirestoreVersion(long Counter, string Token, string UpdateTime)
{
    /// <summary>
    /// How many of the last write tokens a document keeps (fields <c>w0</c> to <c>w127</c>, slot <c>n mod 128</c>): a write whose
    /// answer was lost is recognised while fewer than this many writes followed it. 128 rather than the 32 of the other stores: the
    /// in-test Firestore server answers a write in well under a millisecond, and with 16 writers on a loaded machine one writer's
    /// read-back was seen to come 50 writes late; 128 tokens cost about 2.5 KB of a document's 1 MiB.
    /// </summary>
    public const int RingSize = 128;

    private const int TokenLength = 16;

    /// <summary>The ring field for write <paramref name="counter"/>.</summary>
    public static string RingSlot(long counter) => "w" + (counter % RingSize).ToString(CultureInfo.InvariantCulture);

    /// <summary>A fresh random write token.</summary>
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));

    /// <summary>Parses a version this store issued; false for anything else (another store's version, a number, garbage).</summary>
    public static bool TryParse(string? text, out FirestoreVersion version)
    {
        version = default;
        if (text is null) return false;
        var first = text.IndexOf('.', StringComparison.Ordinal);
        if (first is < 1 or > 18 || (text[0] == '0' && first > 1)) return false;
        var second = first + 1 + TokenLength;
        if (text.Length <= second + 1 || text[second] != '.') return false;
        var token = text.AsSpan(first + 1, TokenLength);
        foreach (var c in text.AsSpan(0, first))
        {
            if (!char.IsAsciiDigit(c)) return false;
        }

        foreach (var c in token)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_') return false;
        }

        var updateTime = text[(second + 1)..];
        if (!IsTimestamp(updateTime)) return false;
        version = new FirestoreVersion(long.Parse(text.AsSpan(0, first), NumberStyles.None, CultureInfo.InvariantCulture), token.ToString(), updateTime);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Counter.ToString(CultureInfo.InvariantCulture) + "." + Token + "." + UpdateTime;

    /// <summary>An RFC 3339 UTC timestamp as Firestore writes it: <c>2026-01-01T00:00:00.123456Z</c>, 0 to 9 fraction digits.</summary>
    private static bool IsTimestamp(string text)
    {
        if (text.Length < 20 || text[^1] != 'Z' || text[10] != 'T') return false;
        if (!DateTime.TryParseExact(text[..19], "yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) return false;
        var fraction = text.AsSpan(19, text.Length - 20);
        if (fraction.IsEmpty) return true;
        if (fraction[0] != '.' || fraction.Length is < 2 or > 10) return false;
        foreach (var c in fraction[1..])
        {
            if (!char.IsAsciiDigit(c)) return false;
        }

        return true;
    }
}
