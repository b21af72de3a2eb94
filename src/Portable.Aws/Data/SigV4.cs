using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portable.Aws.Data;

/// <summary>AWS Signature Version 4 for a request whose signed headers are <c>content-type</c>, <c>host</c>, <c>x-amz-date</c> and, with temporary credentials, <c>x-amz-security-token</c>.</summary>
internal static class SigV4
{
    /// <summary>The <c>Authorization</c> header value.</summary>
    public static string Authorization(
        string method, Uri uri, string canonicalQuery, string contentType, ReadOnlySpan<byte> body,
        DateTimeOffset now, string region, string service, string accessKey, string secretKey, string? sessionToken)
    {
        var amzDate = AmzDate(now);
        var date = amzDate[..8];
        var headers = new StringBuilder()
            .Append("content-type:").Append(contentType.Trim()).Append('\n')
            .Append("host:").Append(uri.IsDefaultPort ? uri.Host : uri.Authority).Append('\n')
            .Append("x-amz-date:").Append(amzDate).Append('\n');
        var signed = "content-type;host;x-amz-date";
        if (sessionToken is not null)
        {
            headers.Append("x-amz-security-token:").Append(sessionToken).Append('\n');
            signed += ";x-amz-security-token";
        }

        var path = string.IsNullOrEmpty(uri.AbsolutePath) ? "/" : uri.AbsolutePath;
        var canonical = $"{method}\n{path}\n{canonicalQuery}\n{headers}\n{signed}\n{Hex(SHA256.HashData(body))}";
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
