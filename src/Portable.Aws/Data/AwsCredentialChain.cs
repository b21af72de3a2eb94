using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Portable.Aws.Data;

/// <summary>
/// The standard AWS credential chain, in the SDKs' order: the environment (<c>AWS_ACCESS_KEY_ID</c>,
/// <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>: what Lambda sets), the shared files' profile (static keys), a web
/// identity token (<c>AWS_WEB_IDENTITY_TOKEN_FILE</c> + <c>AWS_ROLE_ARN</c>, exchanged with STS), the container endpoint
/// (<c>AWS_CONTAINER_CREDENTIALS_RELATIVE_URI</c> / <c>_FULL_URI</c>) and the EC2 instance metadata service (IMDSv2).
/// Temporary credentials are cached and fetched again five minutes before they expire.
/// </summary>
internal sealed class AwsCredentialChain(HttpClient http, Func<string, string?> environment, TimeProvider time)
{
    private static readonly TimeSpan EndpointTimeout = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AwsCredentials? _current;

    public async ValueTask<AwsCredentials> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } current && !current.IsStale(time.GetUtcNow())) return current;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } fresh && !fresh.IsStale(time.GetUtcNow())) return fresh;
            return _current = await ResolveAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<AwsCredentials> ResolveAsync(CancellationToken cancellationToken)
    {
        if (Env("AWS_ACCESS_KEY_ID") is { } key && Env("AWS_SECRET_ACCESS_KEY") is { } secret)
        {
            return new AwsCredentials(key, secret, Env("AWS_SESSION_TOKEN"), null, "the environment");
        }

        var files = new AwsSharedFiles(environment);
        var profile = files.Read();
        if (profile.TryGetValue("aws_access_key_id", out var fileKey) && profile.TryGetValue("aws_secret_access_key", out var fileSecret))
        {
            return new AwsCredentials(fileKey, fileSecret, profile.GetValueOrDefault("aws_session_token"), null, $"profile '{files.Profile}'");
        }

        if (Env("AWS_WEB_IDENTITY_TOKEN_FILE") is { } tokenFile && Env("AWS_ROLE_ARN") is { } role)
        {
            return await AssumeRoleWithWebIdentityAsync(tokenFile, role, cancellationToken).ConfigureAwait(false);
        }

        if (ContainerEndpoint() is { } container)
        {
            return await FromContainerAsync(container, cancellationToken).ConfigureAwait(false);
        }

        if (!string.Equals(Env("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return await FromInstanceMetadataAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not on EC2: fall through to the error that lists what was tried.
            }
        }

        var unsupported = new[] { "sso_session", "sso_start_url", "role_arn", "credential_process" }.Where(profile.ContainsKey).ToList();
        throw new PortableConfigurationException(
            "No AWS credentials were found. Tried: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the static keys of profile '" + files.Profile +
            "' in ~/.aws/credentials and ~/.aws/config, AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, the container endpoint " +
            "(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / AWS_CONTAINER_CREDENTIALS_FULL_URI) and the EC2 instance metadata service." +
            (unsupported.Count > 0
                ? $" The profile uses {string.Join(", ", unsupported)}, which Portable.Aws does not read: export keys first (for example `aws configure export-credentials --format env`)."
                : " In Lambda the environment always has them; locally, set the variables or run `aws configure`."));
    }

    private string? Env(string name) => environment(name) is { Length: > 0 } value ? value : null;

    private Uri? ContainerEndpoint()
    {
        if (Env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") is { } relative) return new Uri("http://169.254.170.2" + relative, UriKind.Absolute);
        return Env("AWS_CONTAINER_CREDENTIALS_FULL_URI") is { } full ? new Uri(full, UriKind.Absolute) : null;
    }

    private async Task<AwsCredentials> FromContainerAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        var authorization = Env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") is { } file
            ? (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).Trim()
            : Env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        var json = await SendAsync(request, "the container credentials endpoint", cancellationToken).ConfigureAwait(false);
        return ReadJsonCredentials(json, "the container credentials endpoint");
    }

    private async Task<AwsCredentials> FromInstanceMetadataAsync(CancellationToken cancellationToken)
    {
        var root = (Env("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? "http://169.254.169.254").TrimEnd('/');
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Put, root + "/latest/api/token");
        tokenRequest.Headers.TryAddWithoutValidation("X-aws-ec2-metadata-token-ttl-seconds", "21600");
        var token = (await SendAsync(tokenRequest, "the instance metadata service", cancellationToken).ConfigureAwait(false)).Trim();
        using var roleRequest = new HttpRequestMessage(HttpMethod.Get, root + "/latest/meta-data/iam/security-credentials/");
        roleRequest.Headers.TryAddWithoutValidation("X-aws-ec2-metadata-token", token);
        var role = (await SendAsync(roleRequest, "the instance metadata service", cancellationToken).ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        using var credentialsRequest = new HttpRequestMessage(HttpMethod.Get, root + "/latest/meta-data/iam/security-credentials/" + Uri.EscapeDataString(role));
        credentialsRequest.Headers.TryAddWithoutValidation("X-aws-ec2-metadata-token", token);
        var json = await SendAsync(credentialsRequest, "the instance metadata service", cancellationToken).ConfigureAwait(false);
        return ReadJsonCredentials(json, $"the instance role '{role}'");
    }

    private async Task<AwsCredentials> AssumeRoleWithWebIdentityAsync(string tokenFile, string role, CancellationToken cancellationToken)
    {
        var token = (await File.ReadAllTextAsync(tokenFile, cancellationToken).ConfigureAwait(false)).Trim();
        var session = Env("AWS_ROLE_SESSION_NAME") ?? "portable-" + time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var region = Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION");
        var endpoint = Env("AWS_ENDPOINT_URL_STS") ?? Env("AWS_ENDPOINT_URL") ?? (region is null ? "https://sts.amazonaws.com/" : $"https://sts.{region}.amazonaws.com/");
        var form = $"Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn={Uri.EscapeDataString(role)}&RoleSessionName={Uri.EscapeDataString(session)}&WebIdentityToken={Uri.EscapeDataString(token)}";
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(form, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        var xml = await SendAsync(request, "STS AssumeRoleWithWebIdentity", cancellationToken).ConfigureAwait(false);
        var expiration = SnsClient.Element(xml, "Expiration");
        return new AwsCredentials(
            SnsClient.Element(xml, "AccessKeyId") ?? throw Unreadable("STS AssumeRoleWithWebIdentity"),
            SnsClient.Element(xml, "SecretAccessKey") ?? throw Unreadable("STS AssumeRoleWithWebIdentity"),
            SnsClient.Element(xml, "SessionToken"),
            expiration is null ? null : DateTimeOffset.Parse(expiration, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            $"the web identity role '{role}'");
    }

    private async Task<string> SendAsync(HttpRequestMessage request, string source, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(EndpointTimeout);
        using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{source} answered {(int)response.StatusCode} to the credentials request: {text}", null, response.StatusCode);
        }

        return text;
    }

    private static AwsCredentials ReadJsonCredentials(string json, string source)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string? Get(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var expiration = Get("Expiration");
        return new AwsCredentials(
            Get("AccessKeyId") ?? throw Unreadable(source),
            Get("SecretAccessKey") ?? throw Unreadable(source),
            Get("Token"),
            expiration is null ? null : DateTimeOffset.Parse(expiration, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            source);
    }

    private static PortableConfigurationException Unreadable(string source)
        => new($"{source} answered without AccessKeyId and SecretAccessKey, so no AWS credentials could be read from it.");
}
