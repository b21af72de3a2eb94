using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Portable.Gcp.Auth;

/// <summary>
/// Sends requests to Google's REST APIs with a bearer token from application default credentials, or, when
/// <c>FIRESTORE_EMULATOR_HOST</c> / <c>PUBSUB_EMULATOR_HOST</c> is set, to the emulator over plain HTTP as <c>owner</c>.
/// </summary>
internal sealed class GoogleApiClient(HttpClient http, GoogleAccessTokenSource tokens, GcpSettings settings)
{
    public bool FirestoreEmulated => settings.FirestoreEmulatorHost is not null;

    public bool PubSubEmulated => settings.PubSubEmulatorHost is not null;

    public string FirestoreBase => settings.FirestoreEmulatorHost is { } host ? $"http://{host}/v1/" : "https://firestore.googleapis.com/v1/";

    public string PubSubBase => settings.PubSubEmulatorHost is { } host ? $"http://{host}/v1/" : "https://pubsub.googleapis.com/v1/";

    public string FirestoreDatabase => settings.FirestoreDatabase;

    public async Task<string> GetProjectIdAsync(CancellationToken cancellationToken)
    {
        if (settings.ProjectId is { } configured) return configured;
        if (FirestoreEmulated || PubSubEmulated)
            throw new PortableConfigurationException("An emulator host is set, but GOOGLE_CLOUD_PROJECT is not: set the project id the emulator should use.");
        return await tokens.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, bool emulated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = emulated ? "owner" : await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The <c>error.status</c> of a Google API error body (such as <c>FAILED_PRECONDITION</c>), or null.</summary>
    public static async Task<(string? Status, string Body)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            return (document.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("status", out var status) ? status.GetString() : null, body);
        }
        catch (JsonException)
        {
            return (null, body);
        }
    }

    public static HttpRequestException Failure(string what, HttpResponseMessage response, string body)
        => new($"{what} failed with {(int)response.StatusCode} {response.ReasonPhrase}: {Truncate(body)}", null, response.StatusCode);

    public static StringContent Json(byte[] body) => new(Encoding.UTF8.GetString(body), Encoding.UTF8, "application/json");

    private static string Truncate(string text) => text.Length > 500 ? text[..500] + "…" : text;
}
