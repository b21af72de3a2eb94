using System.Globalization;
using System.Net;
using System.Text;

namespace Portable.Aws.Data;

/// <summary>
/// A client for the S3 REST API, signed with SigV4 (S3's flavour: the path encoded once, <c>x-amz-content-sha256</c> signed) and
/// retried by <see cref="AwsRetry"/>. Path-style addressing (<c>{endpoint}/{bucket}/{key}</c>) when <c>AWS_ENDPOINT_URL_S3</c> or
/// <c>AWS_ENDPOINT_URL</c> is set (an emulator such as fauxqs), virtual-hosted (<c>https://{bucket}.s3.{region}.amazonaws.com/{key}</c>)
/// otherwise. Streamed bodies are sent as <c>UNSIGNED-PAYLOAD</c>: the signature covers the headers, TLS the content (S3 accepts it
/// over HTTPS, which the public endpoints are); small XML bodies are hashed and signed.
/// </summary>
internal sealed class S3Client(AwsConnection connection)
{
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    private static readonly string EmptyHash = SigV4.PayloadHash([]);
    private Uri? _endpoint;
    private bool _resolved;

    /// <summary>The custom endpoint (path-style), or null for the public virtual-hosted one.</summary>
    private Uri? CustomEndpoint
    {
        get
        {
            if (!_resolved)
            {
                _endpoint = connection.CustomEndpoint("S3");
                _resolved = true;
            }

            return _endpoint;
        }
    }

    public AwsConnection Connection => connection;

    /// <summary>The URL of a bucket (<paramref name="key"/> null) or an object, with the already-encoded <paramref name="query"/>, and its canonical (encoded once) path.</summary>
    public (Uri Url, string CanonicalPath) Url(string bucket, string? key, string query)
    {
        var encodedKey = key is null ? null : SigV4.Encode(key, "/");
        string root, path;
        if (CustomEndpoint is { } endpoint)
        {
            root = endpoint.GetLeftPart(UriPartial.Authority);
            var basePath = endpoint.AbsolutePath.TrimEnd('/');
            path = $"{basePath}/{bucket}" + (encodedKey is null ? "" : "/" + encodedKey);
        }
        else
        {
            root = $"https://{bucket}.s3.{connection.Region}.amazonaws.com";
            path = "/" + encodedKey;
        }

        return (new Uri(root + path + (query.Length == 0 ? "" : "?" + query), UriKind.Absolute), path);
    }

    /// <summary>
    /// Sends a request, tried again on throttling, 5xx answers and network failures (<paramref name="content"/> makes the body
    /// afresh for each attempt). An answer that is a success or that <paramref name="accept"/> takes is returned (the caller
    /// disposes it); any other becomes an <see cref="AwsServiceException"/> with S3's error code.
    /// </summary>
    public Task<HttpResponseMessage> SendAsync(
        string action, HttpMethod method, string bucket, string? key, IReadOnlyList<KeyValuePair<string, string>> query,
        IReadOnlyList<KeyValuePair<string, string>> headers, Func<HttpContent?>? content, string? payloadHash,
        Func<HttpStatusCode, bool>? accept, HttpCompletionOption completion, CancellationToken cancellationToken)
        => AwsRetry.RunAsync(
            async token =>
            {
                using var request = await SignAsync(method, bucket, key, query, headers, content?.Invoke(), payloadHash, token).ConfigureAwait(false);
                var response = await connection.Http.SendAsync(request, completion, token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode || accept?.Invoke(response.StatusCode) == true) return response;
                using (response) throw await RefusalAsync(action, response, token).ConfigureAwait(false);
            },
            connection.Time,
            cancellationToken);

    private async Task<HttpRequestMessage> SignAsync(
        HttpMethod method, string bucket, string? key, IReadOnlyList<KeyValuePair<string, string>> query,
        IReadOnlyList<KeyValuePair<string, string>> headers, HttpContent? content, string? payloadHash, CancellationToken cancellationToken)
    {
        var credentials = await connection.Credentials.GetAsync(cancellationToken).ConfigureAwait(false);
        var now = connection.Time.GetUtcNow();
        var amzDate = SigV4.AmzDate(now);
        var canonicalQuery = SigV4.CanonicalQuery(query);
        var (url, path) = Url(bucket, key, canonicalQuery);
        var hash = payloadHash ?? (content is null ? EmptyHash : UnsignedPayload);
        var signed = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = url.IsDefaultPort ? url.Host : url.Authority,
            ["x-amz-content-sha256"] = hash,
            ["x-amz-date"] = amzDate,
        };
        if (credentials.SessionToken is { } token) signed["x-amz-security-token"] = token;
        foreach (var (name, value) in headers) signed[name.ToLowerInvariant()] = value.Trim();

        var request = new HttpRequestMessage(method, url) { Content = content };
        foreach (var (name, value) in signed)
        {
            if (name == "host") continue;
            if (name is "content-type" or "content-md5")
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var canonicalHeaders = new StringBuilder();
        foreach (var (name, value) in signed) canonicalHeaders.Append(name).Append(':').Append(value).Append('\n');
        var signedNames = string.Join(';', signed.Keys);
        var canonicalRequest = $"{method.Method}\n{path}\n{canonicalQuery}\n{canonicalHeaders}\n{signedNames}\n{hash}";
        var signature = SigV4.Signature(canonicalRequest, amzDate, connection.Region, "s3", credentials.SecretAccessKey);
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={credentials.AccessKeyId}/{amzDate[..8]}/{connection.Region}/s3/aws4_request, SignedHeaders={signedNames}, Signature={signature}");
        return request;
    }

    /// <summary>The refusal of an answer: S3's XML error (<c>Code</c>, <c>Message</c>, <c>RequestId</c>), or its status when it has none (HEAD).</summary>
    public static async Task<AwsServiceException> RefusalAsync(string action, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? code = null, message = null, requestId = null;
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (bytes.Length > 0)
        {
            try
            {
                (code, message, requestId) = ReadError(bytes);
            }
            catch (S3XmlException)
            {
                message = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 500));
            }
        }

        requestId ??= response.Headers.TryGetValues("x-amz-request-id", out var ids) ? ids.First() : null;
        return new AwsServiceException("S3", action, response.StatusCode, string.IsNullOrEmpty(code) ? response.StatusCode.ToString() : code, message, requestId);
    }

    /// <summary>The code, message and request id of an S3 <c>&lt;Error&gt;</c> document; all null when the document is not one.</summary>
    /// <exception cref="S3XmlException">The answer is not well-formed XML.</exception>
    public static (string? Code, string? Message, string? RequestId) ReadError(byte[] xml)
    {
        string? code = null, message = null, requestId = null;
        var reader = new S3XmlReader(xml);
        if (!reader.Read() || reader.LocalName != "Error") return (null, null, null);
        while (reader.Read())
        {
            if (reader.Node != S3XmlNode.Start || reader.Depth != 1) continue;
            switch (reader.LocalName)
            {
                case "Code": code = reader.ReadText(); break;
                case "Message": message = reader.ReadText(); break;
                case "RequestId": requestId = reader.ReadText(); break;
            }
        }

        return (code, message, requestId);
    }

    /// <summary>An HTTP date or an ISO 8601 time as S3 writes them.</summary>
    public static DateTimeOffset ParseTime(string value)
        => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
