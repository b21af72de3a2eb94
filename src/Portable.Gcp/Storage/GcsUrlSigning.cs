using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portable.Gcp.Auth;

namespace Portable.Gcp.Storage;

/// <summary>
/// Who signs Cloud Storage URLs, and how. With a service account key (<c>Portable__Gcp__SigningKeyFile</c>, else a
/// <c>GOOGLE_APPLICATION_CREDENTIALS</c> file of type <c>service_account</c>) the URL is signed here with its PKCS#8 RSA key.
/// Otherwise (Cloud Run, where there is no key file) the runtime's service account signs it through the IAM Credentials API,
/// <c>projects/-/serviceAccounts/{email}:signBlob</c>, its email read once from the metadata server; the account needs
/// <c>roles/iam.serviceAccountTokenCreator</c> on itself, which deploy.sh grants to a function that uses a bucket.
/// Nothing is read or asked until the first URL is signed.
/// </summary>
internal sealed class GcsUrlSigning(GoogleApiClient api, GoogleApiHttp http, GcpSettings settings) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Signer? _signer;
    private RSA? _key;

    /// <summary>The signing account's email and its signing function.</summary>
    internal sealed record Signer(string Email, Func<byte[], CancellationToken, Task<byte[]>> Sign, bool Local);

    public async Task<Signer> GetAsync(CancellationToken cancellationToken)
    {
        if (_signer is { } known) return known;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _signer ??= KeyFile() is { } key ? key : new Signer(await MetadataEmailAsync(cancellationToken).ConfigureAwait(false), SignBlobAsync, Local: false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _gate.Dispose();
        _key?.Dispose();
    }

    /// <summary>A signer from a service account key: the signing key file, else the application credentials when they are a key.</summary>
    private Signer? KeyFile()
    {
        var (file, variable) = settings.SigningKeyFile is { } signing ? (signing, GcpSettings.SigningKeyFileVariable) : (settings.CredentialsFile, "GOOGLE_APPLICATION_CREDENTIALS");
        if (file is null) return null;
        JsonElement credentials;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            credentials = document.RootElement.Clone();
        }
        catch (Exception failure) when (failure is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new PortableConfigurationException($"{variable} is '{file}', which cannot be read as a service account key file: {failure.Message}");
        }

        var type = credentials.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "service_account")
        {
            if (settings.SigningKeyFile is not null)
                throw new PortableConfigurationException($"{variable} is '{file}', a '{type}' credentials file: signing Cloud Storage URLs needs a service_account key.");
            return null; // authorized user credentials sign nothing: the IAM Credentials API signs for the runtime's account
        }

        var email = credentials.TryGetProperty("client_email", out var e) ? e.GetString() : null;
        var pem = credentials.TryGetProperty("private_key", out var k) ? k.GetString() : null;
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(pem))
            throw new PortableConfigurationException($"{variable} is '{file}', a service account key without client_email or private_key.");
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException failure)
        {
            rsa.Dispose();
            throw new PortableConfigurationException($"The private_key of '{file}' ({variable}) is not a PEM RSA key: {failure.Message}");
        }

        _key = rsa;
        return new Signer(email, (bytes, _) => Task.FromResult(rsa.SignData(bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)), Local: true);
    }

    private async Task<string> MetadataEmailAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{settings.MetadataHost}/computeMetadata/v1/instance/service-accounts/default/email");
        request.Headers.Add("Metadata-Flavor", "Google");
        try
        {
            using var response = await http.Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
            if (response.IsSuccessStatusCode && body.Contains('@', StringComparison.Ordinal)) return body;
            throw new PortableConfigurationException(NoSigner($"the metadata server answered {(int)response.StatusCode}"));
        }
        catch (HttpRequestException e)
        {
            throw new PortableConfigurationException(NoSigner($"the metadata server at {settings.MetadataHost} could not be reached: {e.Message}"));
        }
    }

    private static string NoSigner(string why)
        => $"A Cloud Storage URL cannot be signed: there is no service account key and {why}. On Google Cloud the runtime's service account " +
           $"signs through the IAM Credentials API; elsewhere set {GcpSettings.SigningKeyFileVariable} (or GOOGLE_APPLICATION_CREDENTIALS) to a service account key file.";

    private async Task<byte[]> SignBlobAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var email = _signer?.Email ?? throw new InvalidOperationException("The signer is not known yet.");
        var url = $"{settings.IamCredentialsBase.TrimEnd('/')}/v1/projects/-/serviceAccounts/{Uri.EscapeDataString(email)}:signBlob";
        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteBase64String("payload", payload);
            json.WriteEndObject();
        }

        var bytes = body.ToArray();
        using var response = await api.ReadWithRetriesAsync(() => new HttpRequestMessage(HttpMethod.Post, url) { Content = GoogleApiClient.Json(bytes) }, emulated: false, cancellationToken).ConfigureAwait(false);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw GoogleApiClient.Failure(
                $"Signing a Cloud Storage URL as {email} with the IAM Credentials API (the account needs roles/iam.serviceAccountTokenCreator on itself)", response, answer);
        }

        using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(answer));
        return document.RootElement.GetProperty("signedBlob").GetBytesFromBase64();
    }
}
