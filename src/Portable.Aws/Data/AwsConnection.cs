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

    /// <exception cref="PortableConfigurationException">No region is configured.</exception>
    public string Region => _region.Value;

    /// <summary>The endpoint of a service, such as <c>dynamodb</c>; <paramref name="envKey"/> is its <c>AWS_ENDPOINT_URL_</c> suffix.</summary>
    public Uri Endpoint(string service, string envKey)
        => new(Env("AWS_ENDPOINT_URL_" + envKey) ?? Env("AWS_ENDPOINT_URL") ?? $"https://{service}.{Region}.amazonaws.com/", UriKind.Absolute);

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
