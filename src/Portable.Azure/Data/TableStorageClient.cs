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
/// 12.13.0 produces trim and AOT warnings.
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

    /// <summary>Sends one request. <paramref name="resource"/> is the path after the endpoint, such as <c>orders(PartitionKey='a',RowKey='')</c>.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string resource, string? query, byte[]? body, string? ifMatch, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{_endpoint}/{resource}{(string.IsNullOrEmpty(query) ? "" : "?" + query)}");
        using var request = new HttpRequestMessage(method, uri);
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
