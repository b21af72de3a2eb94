using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Portable.Gcp.Auth;

/// <summary>
/// Sends requests to Google's REST APIs with a bearer token from application default credentials, or, when
/// <c>FIRESTORE_EMULATOR_HOST</c> / <c>PUBSUB_EMULATOR_HOST</c> is set, to the emulator over plain HTTP as <c>owner</c>.
/// </summary>
internal sealed class GoogleApiClient(HttpClient http, GoogleAccessTokenSource tokens, GcpSettings settings)
{
    /// <summary>How many times <see cref="SendWithRetriesAsync"/> sends a request at most.</summary>
    public const int MaxAttempts = 5;

    public bool FirestoreEmulated => settings.FirestoreEmulatorHost is not null;

    public bool PubSubEmulated => settings.PubSubEmulatorHost is not null;

    public string FirestoreBase => settings.FirestoreEmulatorHost is { } host ? $"http://{host}/v1/" : "https://firestore.googleapis.com/v1/";

    public string PubSubBase => settings.PubSubEmulatorHost is { } host ? $"http://{host}/v1/" : "https://pubsub.googleapis.com/v1/";

    public string FirestoreDatabase => settings.FirestoreDatabase;

    public bool StorageEmulated => settings.StorageEmulatorHost is not null;

    /// <summary>Cloud Storage's root, ending in <c>/</c>: <c>https://storage.googleapis.com/</c>, or <c>STORAGE_EMULATOR_HOST</c> (plain HTTP unless it says https).</summary>
    public string StorageBase => settings.StorageEmulatorHost is { } host
        ? (host.Contains("://", StringComparison.Ordinal) ? host : "http://" + host).TrimEnd('/') + "/"
        : "https://storage.googleapis.com/";

    public async Task<string> GetProjectIdAsync(CancellationToken cancellationToken)
    {
        if (settings.ProjectId is { } configured) return configured;
        if (FirestoreEmulated || PubSubEmulated || StorageEmulated)
            throw new PortableConfigurationException("An emulator host is set, but GOOGLE_CLOUD_PROJECT is not: set the project id the emulator should use.");
        return await tokens.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, bool emulated, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = emulated ? "owner" : await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the request <paramref name="create"/> makes and retries it the way Google's client libraries do: a network failure, a
    /// timeout of the HTTP client, and the answers 408, 429, 500, 502, 503 and 504 are tried again, up to
    /// <see cref="MaxAttempts"/> times in all, after an exponential backoff with jitter (25 ms, 50 ms, 100 ms, 200 ms, each
    /// ×0.5–1.5). The last answer is returned as it is; the last failure is thrown. A write whose answer is lost may have been
    /// applied: <paramref name="wasApplied"/>, when given, is asked right after each lost answer (before any backoff, so that a busy
    /// document has not moved on much), and when it says the write is stored no retry is sent and null is returned.
    /// <paramref name="attempts"/> counts the attempts, so the caller can tell that a refusal answered a retry.
    /// </summary>
    /// <param name="create">Makes a fresh request for each attempt (a request cannot be sent twice).</param>
    /// <param name="emulated">Whether the API is an emulator (no credentials).</param>
    /// <param name="cancellationToken">Cancels the call, the backoff included.</param>
    /// <param name="attempts">When given, counts the attempts sent.</param>
    /// <param name="wasApplied">When given, says after a lost answer whether the write is already stored.</param>
    /// <param name="completion">When the answer is returned: once its content is read (default), or once its headers are, for a streamed download.</param>
    /// <returns>The answer, which the caller disposes; null when <paramref name="wasApplied"/> found the write stored.</returns>
    public async Task<HttpResponseMessage?> SendWithRetriesAsync(
        Func<HttpRequestMessage> create, bool emulated, CancellationToken cancellationToken, StrongBox<int>? attempts = null, Func<CancellationToken, Task<bool>>? wasApplied = null,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        ArgumentNullException.ThrowIfNull(create);
        for (var attempt = 1; ; attempt++)
        {
            if (attempts is not null) attempts.Value = attempt;
            HttpResponseMessage response;
            using (var request = create())
            {
                try
                {
                    response = await SendAsync(request, emulated, cancellationToken, completion).ConfigureAwait(false);
                }
                catch (Exception e) when (attempt < MaxAttempts && IsTransient(e, cancellationToken))
                {
                    if (wasApplied is not null && await wasApplied(cancellationToken).ConfigureAwait(false)) return null;
                    await BackoffAsync(attempt, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            if (attempt >= MaxAttempts || !IsTransient(response.StatusCode)) return response;
            response.Dispose();
            if (wasApplied is not null && await wasApplied(cancellationToken).ConfigureAwait(false)) return null;
            await BackoffAsync(attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a read (or any request that is safe to repeat) with <see cref="SendWithRetriesAsync"/>.</summary>
    /// <param name="create">Makes a fresh request for each attempt.</param>
    /// <param name="emulated">Whether the API is an emulator (no credentials).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer, which the caller disposes.</returns>
    public async Task<HttpResponseMessage> ReadWithRetriesAsync(Func<HttpRequestMessage> create, bool emulated, CancellationToken cancellationToken)
        => (await SendWithRetriesAsync(create, emulated, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Whether an answer is worth another attempt: 408, 429, 500, 502, 503, 504.</summary>
    public static bool IsTransient(HttpStatusCode status)
        => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>Whether a failure to get an answer is worth another attempt: a network failure or the HTTP client's own timeout.</summary>
    public static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        HttpRequestException or IOException => true,
        TaskCanceledException => !cancellationToken.IsCancellationRequested, // HttpClient's own timeout
        _ => false,
    };

    /// <summary>Waits before attempt <paramref name="attempt"/> + 1: 25 ms doubled each attempt, ×0.5–1.5.</summary>
    public static Task BackoffAsync(int attempt, CancellationToken cancellationToken)
        => Task.Delay(TimeSpan.FromMilliseconds((25 << (attempt - 1)) * (0.5 + Random.Shared.NextDouble())), cancellationToken);

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
