using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Portable.Gcp.Auth;

/// <summary>
/// Application default credentials, spoken directly (Google.Apis.Auth 1.78.0 brings Newtonsoft.Json and trim/AOT warnings into a
/// Native AOT publish): a <c>GOOGLE_APPLICATION_CREDENTIALS</c> file (a service account key, signed into a JWT bearer grant, or an
/// authorized user's refresh token), else the metadata server of Cloud Run. Tokens are cached until a minute before they expire.
/// </summary>
internal sealed class GoogleAccessTokenSource(HttpClient http, GcpSettings settings, TimeProvider time)
{
    private const string Scope = "https://www.googleapis.com/auth/cloud-platform";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _expires;
    private string? _projectId;

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && time.GetUtcNow() < _expires) return cached;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is { } again && time.GetUtcNow() < _expires) return again;
            using var response = await RequestTokenAsync(cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"The access token request failed with {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}", null, response.StatusCode);
            using var document = JsonDocument.Parse(body);
            _token = document.RootElement.GetProperty("access_token").GetString();
            var seconds = document.RootElement.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var s) ? s : 300;
            _expires = time.GetUtcNow().AddSeconds(Math.Max(0, seconds - 60));
            return _token!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The project: <c>GOOGLE_CLOUD_PROJECT</c>, else the credentials file's, else the metadata server's.</summary>
    public async Task<string> GetProjectIdAsync(CancellationToken cancellationToken)
    {
        if (settings.ProjectId is { } configured) return configured;
        if (_projectId is { } known) return known;
        if (settings.CredentialsFile is { } file && ReadCredentials(file).TryGetProperty("project_id", out var p) && p.GetString() is { Length: > 0 } fromFile)
        {
            return _projectId = fromFile;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{settings.MetadataHost}/computeMetadata/v1/project/project-id");
        request.Headers.Add("Metadata-Flavor", "Google");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new PortableConfigurationException(
                $"The project id is unknown: set GOOGLE_CLOUD_PROJECT (the metadata server answered {(int)response.StatusCode}).");
        }

        return _projectId = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
    }

    private Task<HttpResponseMessage> RequestTokenAsync(CancellationToken cancellationToken)
    {
        if (settings.CredentialsFile is { } file)
        {
            var credentials = ReadCredentials(file);
            var type = credentials.TryGetProperty("type", out var t) ? t.GetString() : null;
            var tokenUri = credentials.TryGetProperty("token_uri", out var u) ? u.GetString()! : "https://oauth2.googleapis.com/token";
            if (type == "service_account")
            {
                var assertion = SignJwt(credentials, tokenUri);
                return http.PostAsync(tokenUri, new FormUrlEncodedContent(
                [
                    new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                    new("assertion", assertion),
                ]), cancellationToken);
            }

            if (type == "authorized_user")
            {
                return http.PostAsync(tokenUri, new FormUrlEncodedContent(
                [
                    new("grant_type", "refresh_token"),
                    new("client_id", credentials.GetProperty("client_id").GetString()!),
                    new("client_secret", credentials.GetProperty("client_secret").GetString()!),
                    new("refresh_token", credentials.GetProperty("refresh_token").GetString()!),
                ]), cancellationToken);
            }

            throw new PortableConfigurationException($"GOOGLE_APPLICATION_CREDENTIALS names a '{type}' credentials file; Portable.Gcp reads service_account and authorized_user files.");
        }

        var request = new HttpRequestMessage(HttpMethod.Get, $"http://{settings.MetadataHost}/computeMetadata/v1/instance/service-accounts/default/token");
        request.Headers.Add("Metadata-Flavor", "Google");
        return http.SendAsync(request, cancellationToken);
    }

    private string SignJwt(JsonElement credentials, string audience)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var header = Base64Url("""{"alg":"RS256","typ":"JWT"}"""u8);
        using var claims = new MemoryStream();
        using (var json = new Utf8JsonWriter(claims))
        {
            json.WriteStartObject();
            json.WriteString("iss", credentials.GetProperty("client_email").GetString());
            json.WriteString("scope", Scope);
            json.WriteString("aud", audience);
            json.WriteNumber("iat", now);
            json.WriteNumber("exp", now + 3600);
            json.WriteEndObject();
        }

        var unsigned = header + "." + Base64Url(claims.ToArray());
        using var rsa = RSA.Create();
        rsa.ImportFromPem(credentials.GetProperty("private_key").GetString());
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(unsigned), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return unsigned + "." + Base64Url(signature);
    }

    private static JsonElement ReadCredentials(string file)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            return document.RootElement.Clone();
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new PortableConfigurationException($"GOOGLE_APPLICATION_CREDENTIALS is '{file}', which cannot be read as a credentials file: {e.Message}");
        }
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
