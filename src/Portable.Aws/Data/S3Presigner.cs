using System.Globalization;
using System.Text;

namespace Portable.Aws.Data;

/// <summary>
/// S3 pre-signed URLs: SigV4 with the signature in the query ("Authenticating Requests: Using Query Parameters (AWS Signature
/// Version 4)"): <c>X-Amz-Algorithm</c>, <c>X-Amz-Credential</c>, <c>X-Amz-Date</c>, <c>X-Amz-Expires</c>,
/// <c>X-Amz-SignedHeaders</c> (<c>host</c>, and <c>content-type</c> for an upload that names one), <c>X-Amz-Security-Token</c>
/// with temporary credentials, then <c>X-Amz-Signature</c>. The payload is <c>UNSIGNED-PAYLOAD</c>: whoever holds the URL sends the body.
/// </summary>
internal static class S3Presigner
{
    /// <summary>The pre-signed URL of <paramref name="url"/> (an object URL without a query) for <paramref name="method"/>.</summary>
    /// <param name="method"><c>GET</c> or <c>PUT</c>.</param>
    /// <param name="url">The object's URL.</param>
    /// <param name="canonicalPath">Its path encoded once, as S3 signs it.</param>
    /// <param name="region">The bucket's region.</param>
    /// <param name="credentials">Who signs.</param>
    /// <param name="now">The signing time.</param>
    /// <param name="expiresIn">How long the URL is valid (whole seconds, 1 s to 7 days).</param>
    /// <param name="contentType">For an upload, the content type it must send (signed); null for none.</param>
    public static Uri Presign(
        string method, Uri url, string canonicalPath, string region, AwsCredentials credentials, DateTimeOffset now, TimeSpan expiresIn, string? contentType = null)
    {
        var amzDate = SigV4.AmzDate(now);
        var scope = $"{amzDate[..8]}/{region}/s3/aws4_request";
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = url.IsDefaultPort ? url.Host : url.Authority };
        if (contentType is not null) headers["content-type"] = contentType.Trim();
        var signedNames = string.Join(';', headers.Keys);
        var query = new List<KeyValuePair<string, string>>
        {
            new("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            new("X-Amz-Credential", $"{credentials.AccessKeyId}/{scope}"),
            new("X-Amz-Date", amzDate),
            new("X-Amz-Expires", ((long)Math.Ceiling(expiresIn.TotalSeconds)).ToString(CultureInfo.InvariantCulture)),
            new("X-Amz-SignedHeaders", signedNames),
        };
        if (credentials.SessionToken is { } token) query.Add(new("X-Amz-Security-Token", token));
        var canonicalQuery = SigV4.CanonicalQuery(query);
        var canonicalHeaders = new StringBuilder();
        foreach (var (name, value) in headers) canonicalHeaders.Append(name).Append(':').Append(value).Append('\n');
        var canonicalRequest = $"{method}\n{canonicalPath}\n{canonicalQuery}\n{canonicalHeaders}\n{signedNames}\n{S3Client.UnsignedPayload}";
        var signature = SigV4.Signature(canonicalRequest, amzDate, region, "s3", credentials.SecretAccessKey);
        return new Uri($"{url.GetLeftPart(UriPartial.Path)}?{canonicalQuery}&X-Amz-Signature={signature}", UriKind.Absolute);
    }
}
