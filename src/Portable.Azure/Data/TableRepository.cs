using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Portable.Hosting;

namespace Portable.Azure.Data;

/// <summary>
/// <see cref="IRepository{T}"/> on Table Storage. One table per repository (its name in letters and digits); one entity per
/// document with PartitionKey = the id and an empty RowKey, the JSON in <c>Body</c> (split over <c>Body1</c>, <c>Body2</c>… past
/// 32K characters; an entity holds at most 1 MiB). The version is the entity's ETag: an insert for
/// <see cref="ExpectedVersion.None"/>, <c>If-Match</c> for <see cref="ExpectedVersion.Exactly"/>, and a refused condition
/// throws <see cref="ConcurrencyConflictException"/>. A query pages in PartitionKey order, that is in id order.
/// </summary>
internal sealed class TableRepository<T> : IRepository<T>
{
    private const string BodyProperty = "Body";
    private const int ChunkChars = 32_000;
    private readonly RepositoryDefinition<T> _definition;
    private readonly TableStorageClient _client;
    private readonly Lazy<Task> _created;

    public TableRepository(FunctionCatalog catalog, AzureStorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(clients);
        _definition = catalog.GetRepository<T>();
        _client = clients.Tables;
        Table = TableName(_definition.Name);
        _created = new Lazy<Task>(() => _client.CreateTableIfNotExistsAsync(Table, CancellationToken.None));
    }

    /// <summary>The table name.</summary>
    public string Table { get; }

    /// <summary>A repository name as a table name: letters and digits only, starting with a letter, 3 to 63 characters.</summary>
    public static string TableName(string repository)
    {
        var name = new string(repository.Where(char.IsAsciiLetterOrDigit).ToArray());
        if (name.Length == 0 || !char.IsAsciiLetter(name[0])) name = "t" + name;
        name = name.PadRight(3, '0');
        return name.Length > 63 ? name[..63] : name;
    }

    public async Task<Stored<T>?> GetAsync(string id, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        await EnsureTableAsync().ConfigureAwait(false);
        using var response = await _client.SendAsync(HttpMethod.Get, TableStorageClient.EntityResource(Table, TableKey.Encode(id), ""), null, null, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode) throw await TableStorageClient.FailureAsync(response, $"read '{_definition.Name}/{id}'").ConfigureAwait(false);
        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        return ToStored(document.RootElement, response.Headers.ETag?.ToString());
    }

    public async Task<string> PutAsync(string id, T value, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        await EnsureTableAsync().ConfigureAwait(false);
        var key = TableKey.Encode(id);
        var body = ToEntity(key, value);
        using var response = expected.Kind switch
        {
            ExpectedVersionKind.None => await _client.SendAsync(HttpMethod.Post, Table, null, body, null, cancellationToken).ConfigureAwait(false),
            ExpectedVersionKind.Exactly => await _client.SendAsync(HttpMethod.Put, TableStorageClient.EntityResource(Table, key, ""), null, body, expected.Version, cancellationToken).ConfigureAwait(false),
            _ => await _client.SendAsync(HttpMethod.Put, TableStorageClient.EntityResource(Table, key, ""), null, body, null, cancellationToken).ConfigureAwait(false),
        };
        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed
            || (response.StatusCode == HttpStatusCode.NotFound && expected.Kind == ExpectedVersionKind.Exactly))
        {
            throw new ConcurrencyConflictException(_definition.Name, id, expected);
        }

        if (!response.IsSuccessStatusCode) throw await TableStorageClient.FailureAsync(response, $"write '{_definition.Name}/{id}'").ConfigureAwait(false);
        return response.Headers.ETag?.ToString()
            ?? throw new InvalidOperationException($"Table Storage answered the write of '{_definition.Name}/{id}' without an ETag.");
    }

    public async Task<bool> DeleteAsync(string id, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        if (expected.Kind == ExpectedVersionKind.None)
        {
            return await GetAsync(id, cancellationToken).ConfigureAwait(false) is null ? false : throw new ConcurrencyConflictException(_definition.Name, id, expected);
        }

        await EnsureTableAsync().ConfigureAwait(false);
        var ifMatch = expected.Kind == ExpectedVersionKind.Exactly ? expected.Version : "*";
        using var response = await _client.SendAsync(HttpMethod.Delete, TableStorageClient.EntityResource(Table, TableKey.Encode(id), ""), null, null, ifMatch, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.PreconditionFailed) throw new ConcurrencyConflictException(_definition.Name, id, expected);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return expected.Kind == ExpectedVersionKind.Exactly ? throw new ConcurrencyConflictException(_definition.Name, id, expected) : false;
        }

        if (!response.IsSuccessStatusCode) throw await TableStorageClient.FailureAsync(response, $"delete '{_definition.Name}/{id}'").ConfigureAwait(false);
        return true;
    }

    public async Task<Page<Stored<T>>> QueryAsync(PageRequest request, CancellationToken cancellationToken)
    {
        await EnsureTableAsync().ConfigureAwait(false);
        var query = new StringBuilder("$top=").Append(request.PageSize.ToString(CultureInfo.InvariantCulture));
        if (request.ContinuationToken is { } token)
        {
            var (partition, row) = DecodeToken(token);
            query.Append("&NextPartitionKey=").Append(Uri.EscapeDataString(partition));
            if (row.Length > 0) query.Append("&NextRowKey=").Append(Uri.EscapeDataString(row));
        }

        using var response = await _client.SendAsync(HttpMethod.Get, Table + "()", query.ToString(), null, null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await TableStorageClient.FailureAsync(response, $"query '{_definition.Name}'").ConfigureAwait(false);
        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        var items = document.RootElement.GetProperty("value").EnumerateArray().Select(e => ToStored(e, null)).ToList();
        var nextPartition = response.Headers.TryGetValues("x-ms-continuation-NextPartitionKey", out var p) ? p.FirstOrDefault() : null;
        var nextRow = response.Headers.TryGetValues("x-ms-continuation-NextRowKey", out var r) ? r.FirstOrDefault() : null;
        // Table Storage may answer fewer items than asked, even none, with a continuation token: the caller follows it.
        return new Page<Stored<T>>(items, string.IsNullOrEmpty(nextPartition) ? null : EncodeToken(nextPartition, nextRow ?? ""));
    }

    private Task EnsureTableAsync() => _created.Value;

    private byte[] ToEntity(string key, T value)
    {
        var json = JsonSerializer.Serialize(value, _definition.TypeInfo);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("PartitionKey", key);
            writer.WriteString("RowKey", "");
            for (var i = 0; i == 0 || i * ChunkChars < json.Length; i++)
            {
                var chunk = json.Substring(i * ChunkChars, Math.Min(ChunkChars, json.Length - (i * ChunkChars)));
                writer.WriteString(i == 0 ? BodyProperty : BodyProperty + i.ToString(CultureInfo.InvariantCulture), chunk);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private Stored<T> ToStored(JsonElement entity, string? etag)
    {
        var key = entity.GetProperty("PartitionKey").GetString()!;
        var json = new StringBuilder(entity.TryGetProperty(BodyProperty, out var body) ? body.GetString() : "");
        for (var i = 1; entity.TryGetProperty(BodyProperty + i.ToString(CultureInfo.InvariantCulture), out var more); i++) json.Append(more.GetString());
        var value = JsonSerializer.Deserialize(json.ToString(), _definition.TypeInfo)
            ?? throw new InvalidOperationException($"The entity '{key}' of table '{Table}' holds JSON null.");
        var version = etag ?? (entity.TryGetProperty("odata.etag", out var tag) ? tag.GetString() : null)
            ?? throw new InvalidOperationException($"Table Storage returned the entity '{key}' of table '{Table}' without an ETag.");
        return new Stored<T>(TableKey.Decode(key), value, version);
    }

    private static string EncodeToken(string partition, string row) => Convert.ToBase64String(Encoding.UTF8.GetBytes(partition + "\n" + row));

    private static (string Partition, string Row) DecodeToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var newline = text.IndexOf('\n', StringComparison.Ordinal);
            return newline < 0 ? throw new FormatException() : (text[..newline], text[(newline + 1)..]);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The continuation token is not one this repository returned.", nameof(token), e);
        }
    }
}
