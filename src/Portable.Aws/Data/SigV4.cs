using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Portable.Aws.Data;

/// <summary>
/// AWS Signature Version 4. The signed headers are <c>content-type</c>, <c>host</c>, <c>x-amz-date</c>, any extra headers
/// given (such as <c>x-amz-target</c>) and, with temporary credentials, <c>x-amz-security-token</c>. The canonical URI encodes
/// each path segment twice, as every service but S3 expects; header values are trimmed with inner runs of spaces collapsed.
/// </summary>
internal static partial class SigV4
{
    /// <summary>The <c>Authorization</c> header value.</summary>
    public static string Authorization(
        string method, Uri uri, string canonicalQuery, string contentType, ReadOnlySpan<byte> body,
        DateTimeOffset now, string region, string service, string accessKey, string secretKey, string? sessionToken,
        IReadOnlyList<KeyValuePair<string, string>>? extraHeaders = null)
    {
        var amzDate = AmzDate(now);
        var date = amzDate[..8];
        var headers = Headers(uri, contentType, amzDate, sessionToken, extraHeaders);
        var signature = Signature(CanonicalRequest(method, uri, canonicalQuery, headers, body), amzDate, region, service, secretKey);
        return $"AWS4-HMAC-SHA256 Credential={accessKey}/{date}/{region}/{service}/aws4_request, SignedHeaders={string.Join(';', headers.Keys)}, Signature={signature}";
    }

    /// <summary>The signature of a canonical request: HMAC of the string to sign with the key derived for the date, region and service.</summary>
    public static string Signature(string canonicalRequest, string amzDate, string region, string service, string secretKey)
    {
        var date = amzDate[..8];
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{date}/{region}/{service}/aws4_request\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        return Hex(Hmac(key, toSign));
    }

    /// <summary>The headers that are signed, by lower-case name, in order.</summary>
    public static SortedDictionary<string, string> Headers(
        Uri uri, string contentType, string amzDate, string? sessionToken, IReadOnlyList<KeyValuePair<string, string>>? extraHeaders)
    {
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = HeaderValue(contentType),
            ["host"] = uri.IsDefaultPort ? uri.Host : uri.Authority,
            ["x-amz-date"] = amzDate,
        };
        if (sessionToken is not null) headers["x-amz-security-token"] = sessionToken;
        foreach (var (name, value) in extraHeaders ?? []) headers[name.ToLowerInvariant()] = HeaderValue(value);
        return headers;
    }

    /// <summary>The canonical request: method, canonical URI, canonical query, headers, signed header names and body hash.</summary>
    public static string CanonicalRequest(string method, Uri uri, string canonicalQuery, SortedDictionary<string, string> headers, ReadOnlySpan<byte> body)
    {
        var canonicalHeaders = new StringBuilder();
        foreach (var (name, value) in headers) canonicalHeaders.Append(name).Append(':').Append(value).Append('\n');
        return $"{method}\n{CanonicalUri(uri)}\n{canonicalQuery}\n{canonicalHeaders}\n{string.Join(';', headers.Keys)}\n{Hex(SHA256.HashData(body))}";
    }

    /// <summary>The path, each segment decoded then URI-encoded twice (every service but S3), sub-delimiters left as they are.</summary>
    public static string CanonicalUri(Uri uri)
    {
        var path = uri.AbsolutePath;
        if (string.IsNullOrEmpty(path) || path == "/") return "/";
        return string.Join('/', path.Split('/').Select(segment => Encode(Encode(Uri.UnescapeDataString(segment), PathSafe), PathSafe)));
    }

    /// <summary>The canonical query string: names and values URI-encoded, sorted by name then value, empty values kept as <c>name=</c>.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters)
        => string.Join('&', parameters
            .Select(p => (Name: Encode(p.Key), Value: Encode(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));

    /// <summary>The <c>x-amz-date</c> value.</summary>
    public static string AmzDate(DateTimeOffset now) => now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// RFC 3986 encoding of UTF-8: unreserved characters (<c>A-Z a-z 0-9 - _ . ~</c>) and any in <paramref name="safe"/> as they
    /// are, everything else as <c>%XX</c>.
    /// </summary>
    public static string Encode(string value, string safe = "")
    {
        var encoded = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (c < 128 && safe.Contains(c, StringComparison.Ordinal))) encoded.Append(c);
            else encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return encoded.ToString();
    }

    /// <summary>RFC 3986 sub-delimiters, left unencoded in a path segment, as the AWS SDKs sign them.</summary>
    private const string PathSafe = "!$&'()*+,;=";

    private static string HeaderValue(string value) => Spaces().Replace(value.Trim(), " ");

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();

    /// <summary>The lower-case hex SHA-256 of a payload, as <c>x-amz-content-sha256</c> and canonical requests carry it.</summary>
    public static string PayloadHash(ReadOnlySpan<byte> body) => Hex(SHA256.HashData(body));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
