using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portable.Gcp.Storage;

/// <summary>
/// Cloud Storage V4 signed URLs (<c>GOOG4-RSA-SHA256</c>), path style (<c>{endpoint}/{bucket}/{object}</c>), as Google documents
/// them ("Signing process V4") and as its conformance vectors (googleapis/conformance-tests <c>storage/v1/v4_signatures.json</c>)
/// pin them down: the canonical request (method, the path with every byte but the unreserved ones and <c>/</c> percent-encoded,
/// the query sorted by encoded name, the signed headers lower-cased with their values trimmed and inner whitespace collapsed,
/// <c>host</c> without its port, and <c>UNSIGNED-PAYLOAD</c> unless <c>x-goog-content-sha256</c> is signed), its SHA-256 in the
/// string to sign, and the RSA-SHA256 signature in lower-case hex as the last query parameter, <c>X-Goog-Signature</c>.
/// The signature itself comes from the caller: a service account key, or the IAM Credentials API's <c>signBlob</c>.
/// </summary>
internal static class GcsV4Signer
{
    public const string Algorithm = "GOOG4-RSA-SHA256";
    private const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    /// <summary>A URL to sign.</summary>
    /// <param name="Method">The HTTP method the URL allows (GET, PUT, ...).</param>
    /// <param name="Endpoint">The scheme and authority, such as <c>https://storage.googleapis.com</c> or <c>http://localhost:8080</c>.</param>
    /// <param name="Bucket">The physical bucket.</param>
    /// <param name="Object">The object name, or null for the bucket itself.</param>
    /// <param name="Timestamp">When the URL is signed (its validity starts).</param>
    /// <param name="ExpiresSeconds">How long it is valid, in seconds (at most 604800).</param>
    /// <param name="Headers">Headers the request must carry, signed with <c>host</c>.</param>
    /// <param name="Query">More query parameters, signed.</param>
    internal sealed record Request(
        string Method,
        string Endpoint,
        string Bucket,
        string? Object,
        DateTimeOffset Timestamp,
        long ExpiresSeconds,
        IReadOnlyDictionary<string, string>? Headers = null,
        IReadOnlyDictionary<string, string>? Query = null);

    /// <summary>Signs the request as <paramref name="email"/>, the signature made by <paramref name="sign"/> (RSA-SHA256 over the bytes given).</summary>
    /// <returns>The signed URL.</returns>
    public static async Task<string> SignAsync(Request request, string email, Func<byte[], CancellationToken, Task<byte[]>> sign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sign);
        var (canonical, query) = Canonical(request, email);
        var signature = await sign(Encoding.UTF8.GetBytes(StringToSignOf(request, canonical)), cancellationToken).ConfigureAwait(false);
        var (scheme, authority, _) = SplitEndpoint(request.Endpoint);
        return $"{scheme}://{authority}{Path(request)}?{query}&X-Goog-Signature={Convert.ToHexStringLower(signature)}";
    }

    /// <summary>The canonical request, as the vectors' <c>expectedCanonicalRequest</c>.</summary>
    public static string CanonicalRequest(Request request, string email) => Canonical(request, email).Canonical;

    /// <summary>The string to sign, as the vectors' <c>expectedStringToSign</c>.</summary>
    public static string StringToSign(Request request, string email) => StringToSignOf(request, CanonicalRequest(request, email));

    /// <summary>The credential scope: <c>{yyyyMMdd}/auto/storage/goog4_request</c>.</summary>
    public static string Scope(DateTimeOffset timestamp) => timestamp.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "/auto/storage/goog4_request";

    /// <summary>Percent-encodes everything but the RFC 3986 unreserved characters (<c>A-Z a-z 0-9 - _ . ~</c>), as UTF-8.</summary>
    public static string Encode(string value) => Uri.EscapeDataString(value);

    private static string StringToSignOf(Request request, string canonical)
        => $"{Algorithm}\n{Timestamp(request.Timestamp)}\n{Scope(request.Timestamp)}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";

    private static (string Canonical, string Query) Canonical(Request request, string email)
    {
        var (_, authority, _) = SplitEndpoint(request.Endpoint);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = HostWithoutPort(authority) };
        foreach (var (name, value) in request.Headers ?? new Dictionary<string, string>())
        {
            headers[name.ToLowerInvariant()] = CollapseWhitespace(value);
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("X-Goog-Algorithm", Algorithm),
            new("X-Goog-Credential", email + "/" + Scope(request.Timestamp)),
            new("X-Goog-Date", Timestamp(request.Timestamp)),
            new("X-Goog-Expires", request.ExpiresSeconds.ToString(CultureInfo.InvariantCulture)),
            new("X-Goog-SignedHeaders", signedHeaders),
        };
        parameters.AddRange(request.Query ?? new Dictionary<string, string>());
        var query = string.Join('&', parameters.Select(p => (Name: Encode(p.Key), Value: Encode(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => p.Name + "=" + p.Value));
        var payload = headers.TryGetValue("x-goog-content-sha256", out var hash) ? hash : UnsignedPayload;
        var canonical = new StringBuilder()
            .Append(request.Method).Append('\n')
            .Append(Path(request)).Append('\n')
            .Append(query).Append('\n');
        foreach (var (name, value) in headers) canonical.Append(name).Append(':').Append(value).Append('\n');
        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payload);
        return (canonical.ToString(), query);
    }

    private static string Path(Request request)
        => "/" + request.Bucket + (request.Object is { } name ? "/" + string.Join('/', name.Split('/').Select(Encode)) : "");

    private static string Timestamp(DateTimeOffset timestamp) => timestamp.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Trims a header value and collapses each run of spaces and tabs inside it to one space.</summary>
    private static string CollapseWhitespace(string value)
    {
        var text = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim(' ', '\t'))
        {
            if (c is ' ' or '\t')
            {
                space = true;
                continue;
            }

            if (space) text.Append(' ');
            space = false;
            text.Append(c);
        }

        return text.ToString();
    }

    /// <summary>The scheme (https unless given), the authority as written (a port kept) and the host alone.</summary>
    internal static (string Scheme, string Authority, string Host) SplitEndpoint(string endpoint)
    {
        var at = endpoint.IndexOf("://", StringComparison.Ordinal);
        var scheme = at < 0 ? "https" : endpoint[..at];
        var rest = at < 0 ? endpoint : endpoint[(at + 3)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        return (scheme, authority, HostWithoutPort(authority));
    }

    /// <summary>The host of an authority without its port (<c>localhost:8080</c> signs as <c>localhost</c>, as the vectors do).</summary>
    private static string HostWithoutPort(string authority)
    {
        var colon = authority.LastIndexOf(':');
        return colon > 0 && authority.IndexOf(']', colon) < 0 && authority[(colon + 1)..].All(char.IsAsciiDigit) ? authority[..colon] : authority;
    }
}
