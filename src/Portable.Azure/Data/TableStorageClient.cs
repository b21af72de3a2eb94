using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;

namespace Portable.Azure.Data;

/// <summary>
/// The Table service REST API (version 2019-02-02, JSON) over <see cref="HttpClient"/>, signed with the account key
/// (<c>SharedKeyLite</c>) or a bearer token from a <see cref="TokenCredential"/>. Spoken directly because Azure.Data.Tables
/// 12.13.0 produces trim and AOT warnings. Retries transient failures as Azure.Core's default policy does: network errors,
/// timeouts, 408, 429, 500, 502, 503 and 504, up to <see cref="MaxRetries"/> times with exponential backoff and jitter from
/// <see cref="RetryDelay"/>, honouring <c>Retry-After</c>. A retried write may have been applied by the attempt whose answer
/// was lost: <see cref="WasRetried"/> tells the caller to check before reporting a conflict.
/// </summary>
internal sealed class TableStorageClient
{
    public const string ApiVersion = "2019-02-02";
    private static readonly string[] Scopes = ["https://storage.azure.com/.default"];
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string? _account;
    private readonly byte[]? _key;
    private readonly TokenCredential? _credential;
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private AccessToken _token;

    public TableStorageClient(HttpClient http, StorageConnection connection)
    {
        _http = http;
        _endpoint = connection.TableEndpoint;
        _account = connection.AccountName;
        _key = connection.AccountKey;
    }

    public TableStorageClient(HttpClient http, Uri endpoint, TokenCredential credential)
    {
        _http = http;
        _endpoint = new Uri(endpoint.ToString().TrimEnd('/'));
        _credential = credential;
    }

    /// <summary>How many times a transient failure is retried (Azure.Core's default: 3).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The delay before the first retry, doubled for each next one, with ±20% jitter (Azure.Core's default: 0.8 s).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(0.8);

    /// <summary>The longest delay between two attempts (Azure.Core's default: 1 minute).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether the answer is that of a retry, so an earlier attempt of the same call may have been applied.</summary>
    public static bool WasRetried(HttpResponseMessage response)
        => response.RequestMessage?.Options.TryGetValue(AttemptOption, out var attempt) == true && attempt > 1;

    private static readonly HttpRequestOptionsKey<int> AttemptOption = new("Portable.Attempt");

    /// <summary>
    /// Sends one request, retrying transient failures. <paramref name="resource"/> is the path after the endpoint, such as
    /// <c>orders(PartitionKey='a',RowKey='')</c>. The answer is the last attempt's: a success, a non-transient failure, or the
    /// transient failure of the last attempt.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string resource, string? query, byte[]? body, string? ifMatch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await SendOnceAsync(method, resource, query, body, ifMatch, attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt <= MaxRetries && IsTransient(e, cancellationToken))
            {
                await BackoffAsync(attempt, null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (attempt > MaxRetries || !IsTransient(response.StatusCode)) return response;
            var retryAfter = response.Headers.RetryAfter?.Delta;
            response.Dispose();
            await BackoffAsync(attempt, retryAfter, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether an answer is a transient failure worth retrying: 408, 429, 500, 502, 503, 504.</summary>
    public static bool IsTransient(HttpStatusCode status) => (int)status is 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>Whether a failure to get an answer is transient: a network error, or a timeout that is not the caller's cancellation.</summary>
    public static bool IsTransient(Exception e, CancellationToken cancellationToken)
        => e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>Waits before retry number <paramref name="attempt"/>: exponential from <see cref="RetryDelay"/> with jitter, at least <paramref name="retryAfter"/>, at most <see cref="MaxRetryDelay"/>.</summary>
    public Task BackoffAsync(int attempt, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var exponential = RetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * (0.8 + (Random.Shared.NextDouble() * 0.4));
        var delay = TimeSpan.FromMilliseconds(Math.Min(exponential, MaxRetryDelay.TotalMilliseconds));
        if (retryAfter is { } after && after > delay) delay = after < MaxRetryDelay ? after : MaxRetryDelay;
        return Task.Delay(delay, cancellationToken);
    }

    /// <summary>Sends one request without retrying; attempt number <paramref name="attempt"/> is what <see cref="WasRetried"/> reads.</summary>
    public async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, string resource, string? query, byte[]? body, string? ifMatch, int attempt, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{_endpoint}/{resource}{(string.IsNullOrEmpty(query) ? "" : "?" + query)}");
        using var request = new HttpRequestMessage(method, uri);
        request.Options.Set(AttemptOption, attempt);
        var date = DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation("x-ms-date", date);
        request.Headers.TryAddWithoutValidation("x-ms-version", ApiVersion);
        request.Headers.TryAddWithoutValidation("DataServiceVersion", "3.0;NetFx");
        request.Headers.TryAddWithoutValidation("MaxDataServiceVersion", "3.0;NetFx");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;odata=minimalmetadata");
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (method == HttpMethod.Post) request.Headers.TryAddWithoutValidation("Prefer", "return-no-content");
        }

        if (_key is not null)
        {
            // SharedKeyLite for the Table service: date, newline, /account/path (the emulator's path already starts with the account).
            var toSign = date + "\n/" + _account + uri.AbsolutePath;
            var signature = Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(toSign)));
            request.Headers.TryAddWithoutValidation("Authorization", $"SharedKeyLite {_account}:{signature}");
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken).ConfigureAwait(false));
        }

        return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes($"{{\"TableName\":\"{table}\"}}");
        using var response = await SendAsync(HttpMethod.Post, "Tables", null, body, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.NoContent or HttpStatusCode.Conflict) return;
        throw await FailureAsync(response, $"create table '{table}'").ConfigureAwait(false);
    }

    /// <summary>The entity address: <c>table(PartitionKey='…',RowKey='…')</c>, with quotes doubled and the keys escaped.</summary>
    public static string EntityResource(string table, string partitionKey, string rowKey)
        => $"{table}(PartitionKey='{Uri.EscapeDataString(partitionKey.Replace("'", "''", StringComparison.Ordinal))}',RowKey='{Uri.EscapeDataString(rowKey.Replace("'", "''", StringComparison.Ordinal))}')";

    public static async Task<Exception> FailureAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return new HttpRequestException($"Table Storage refused to {what}: {(int)response.StatusCode} {response.ReasonPhrase}. {text}", null, response.StatusCode);
    }

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (_token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(5)) return _token.Token;
        await _tokenGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token.ExpiresOn <= DateTimeOffset.UtcNow.AddMinutes(5))
                _token = await _credential!.GetTokenAsync(new TokenRequestContext(Scopes), cancellationToken).ConfigureAwait(false);
            return _token.Token;
        }
        finally
        {
            _tokenGate.Release();
        }
    }
}
