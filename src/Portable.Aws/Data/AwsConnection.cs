namespace Portable.Aws.Data;

/// <summary>
/// What every AWS call shares: one <see cref="HttpClient"/>, the region (<c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, or the
/// profile's <c>region</c>), the credential chain, and each service's endpoint (<c>AWS_ENDPOINT_URL_{SERVICE}</c>, else
/// <c>AWS_ENDPOINT_URL</c>, else the public regional endpoint). Created on first use, so a function that calls no AWS
/// service starts without any of it.
/// </summary>
internal sealed class AwsConnection : IDisposable
{
    private readonly Func<string, string?> _environment;
    private readonly Lazy<string> _region;
    private AwsJsonClient? _dynamoDb;
    private AwsJsonClient? _sqs;
    private SnsClient? _sns;
    private S3Client? _s3;

    public AwsConnection(Func<string, string?> environment, TimeProvider time, HttpMessageHandler? handler = null)
    {
        _environment = environment;
        Time = time;
        Http = handler is null
            ? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            : new HttpClient(handler);
        Credentials = new AwsCredentialChain(Http, environment, time);
        _region = new Lazy<string>(ResolveRegion);
    }

    public HttpClient Http { get; }

    public TimeProvider Time { get; }

    public AwsCredentialChain Credentials { get; }

    public AwsJsonClient DynamoDb => _dynamoDb ??= AwsJsonClient.DynamoDb(this);

    public AwsJsonClient Sqs => _sqs ??= AwsJsonClient.Sqs(this);

    public SnsClient Sns => _sns ??= new SnsClient(this);

    public S3Client S3 => _s3 ??= new S3Client(this);

    /// <summary>The endpoint set for a service by <c>AWS_ENDPOINT_URL_{envKey}</c> or <c>AWS_ENDPOINT_URL</c>; null for the public one.</summary>
    public Uri? CustomEndpoint(string envKey)
        => (Env("AWS_ENDPOINT_URL_" + envKey) ?? Env("AWS_ENDPOINT_URL")) is { } url ? new Uri(url, UriKind.Absolute) : null;

    /// <exception cref="PortableConfigurationException">No region is configured.</exception>
    public string Region => _region.Value;

    /// <summary>The endpoint of a service, such as <c>dynamodb</c>; <paramref name="envKey"/> is its <c>AWS_ENDPOINT_URL_</c> suffix.</summary>
    public Uri Endpoint(string service, string envKey)
        => new(Env("AWS_ENDPOINT_URL_" + envKey) ?? Env("AWS_ENDPOINT_URL") ?? $"https://{service}.{Region}.amazonaws.com/", UriKind.Absolute);

    /// <summary>
    /// A POST to <paramref name="endpoint"/> with <paramref name="body"/>, its <c>X-Amz-Date</c>, security token and SigV4
    /// <c>Authorization</c> set for <paramref name="signingName"/>; <paramref name="extraHeaders"/> are sent and signed too.
    /// </summary>
    public async Task<HttpRequestMessage> SignedPostAsync(
        Uri endpoint, string signingName, string contentType, byte[] body, IReadOnlyList<KeyValuePair<string, string>> extraHeaders, CancellationToken cancellationToken)
    {
        var credentials = await Credentials.GetAsync(cancellationToken).ConfigureAwait(false);
        var now = Time.GetUtcNow();
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", SigV4.AmzDate(now));
        foreach (var (name, value) in extraHeaders) request.Headers.TryAddWithoutValidation(name, value);
        if (credentials.SessionToken is { } token) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);
        request.Headers.TryAddWithoutValidation("Authorization", SigV4.Authorization(
            "POST", endpoint, "", contentType, body, now, Region, signingName,
            credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, extraHeaders));
        return request;
    }

    public void Dispose() => Http.Dispose();

    private string? Env(string name) => _environment(name) is { Length: > 0 } value ? value : null;

    private string ResolveRegion()
    {
        if ((Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION")) is { } region) return region;
        var files = new AwsSharedFiles(_environment);
        if (files.Read().TryGetValue("region", out var configured) && configured.Length > 0) return configured;
        throw new PortableConfigurationException(
            $"No AWS region is configured: set AWS_REGION (Lambda sets it), or a region in profile '{files.Profile}' of ~/.aws/config.");
    }
}
