using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portable.Aws.Data;

/// <summary>
/// AWS Signature Version 4. The signed headers are <c>content-type</c>, <c>host</c>, <c>x-amz-date</c>, any extra headers
/// given (such as <c>x-amz-target</c>) and, with temporary credentials, <c>x-amz-security-token</c>.
/// </summary>
internal static class SigV4
{
    /// <summary>The <c>Authorization</c> header value.</summary>
    public static string Authorization(
        string method, Uri uri, string canonicalQuery, string contentType, ReadOnlySpan<byte> body,
        DateTimeOffset now, string region, string service, string accessKey, string secretKey, string? sessionToken,
        IReadOnlyList<KeyValuePair<string, string>>? extraHeaders = null)
    {
        var amzDate = AmzDate(now);
        var date = amzDate[..8];
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = contentType.Trim(),
            ["host"] = uri.IsDefaultPort ? uri.Host : uri.Authority,
            ["x-amz-date"] = amzDate,
        };
        if (sessionToken is not null) headers["x-amz-security-token"] = sessionToken;
        foreach (var (name, value) in extraHeaders ?? []) headers[name.ToLowerInvariant()] = value.Trim();

        var canonicalHeaders = new StringBuilder();
        foreach (var (name, value) in headers) canonicalHeaders.Append(name).Append(':').Append(value).Append('\n');
        var signed = string.Join(';', headers.Keys);
        var path = string.IsNullOrEmpty(uri.AbsolutePath) ? "/" : uri.AbsolutePath;
        var canonical = $"{method}\n{path}\n{canonicalQuery}\n{canonicalHeaders}\n{signed}\n{Hex(SHA256.HashData(body))}";
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, toSign));
        return $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signed}, Signature={signature}";
    }

    /// <summary>The <c>x-amz-date</c> value.</summary>
    public static string AmzDate(DateTimeOffset now) => now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
