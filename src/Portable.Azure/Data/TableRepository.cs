using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portable.Hosting;

namespace Portable.Azure.Data;

/// <summary>
/// <see cref="IRepository{T}"/> on Table Storage. One table per repository (its name in letters and digits); one entity per
/// document, keyed by <see cref="TableKey"/>, the JSON in <c>Body</c> (split over <c>Body1</c>, <c>Body2</c>… past 32K
/// characters, <c>BodyChunks</c> saying how many are current; an entity holds at most 1 MiB).
/// <para>
/// Versions are never reused and let a retried write recognise its own success: every write draws a random token and stores
/// it in ring slot <c>W{n mod 32}</c> next to the entity's write counter <c>N</c> (1 for a create, +1 per update), setting
/// only those properties and the body with Merge Entity under <c>If-Match</c>. The version is <c>{N}.{token}.{ETag}</c>; a
/// version this store did not issue is a conflict without a request. When a retried write (its client retries transient
/// failures) meets a refused condition, the entity is read back: if its ring still holds this write's token, an earlier
/// attempt was applied and its answer lost, and the write succeeds. A conditional delete that finds the entity gone on a
/// retry is reported as deleted. An unconditional write reads the entity and merges at its ETag, again on a conflict.
/// </para>
/// A query pages in key order: id order, except that the characters <see cref="TableKey"/> escapes sort as their escapes.
/// </summary>
internal sealed class TableRepository<T> : IRepository<T>
{
    private const string BodyProperty = "Body";
    private const string ChunksProperty = "BodyChunks";
    private const string CounterProperty = "N";
    private const string RingProperty = "W";
    private const int Ring = 32;
    private const int ChunkChars = 32_000;
    private const int TokenLength = 16;
    private const string LegacyToken = "0000000000000000";

    /// <summary>An ETag no entity has: the version returned for a write that succeeded but was overwritten since, so that it conflicts.</summary>
    private const string SupersededETag = "W/\"superseded\"";

    private static readonly HttpMethod Merge = new("MERGE");
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
        return (await ReadAsync(id, TableKey.Encode(id), cancellationToken).ConfigureAwait(false))?.Stored;
    }

    public async Task<string> PutAsync(string id, T value, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        var json = PortRules.SerializeDocument(value, _definition.TypeInfo, _definition.Name, id);
        var version = Parse(expected);
        if (expected.Kind == ExpectedVersionKind.Exactly && version is null) throw Conflict(id, expected);
        await EnsureTableAsync().ConfigureAwait(false);
        var key = TableKey.Encode(id);
        var text = Encoding.UTF8.GetString(json);
        return expected.Kind switch
        {
            ExpectedVersionKind.None => await CreateAsync(id, key, text, cancellationToken).ConfigureAwait(false)
                ?? throw Conflict(id, expected),
            ExpectedVersionKind.Exactly => await UpdateAsync(id, key, text, version!.Value, cancellationToken).ConfigureAwait(false)
                ?? throw Conflict(id, expected),
            _ => await WriteAnyAsync(id, key, text, cancellationToken).ConfigureAwait(false),
        };
    }

    public async Task<bool> DeleteAsync(string id, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        var version = Parse(expected);
        if (expected.Kind == ExpectedVersionKind.Exactly && version is null) throw Conflict(id, expected);
        if (expected.Kind == ExpectedVersionKind.None)
        {
            return await GetAsync(id, cancellationToken).ConfigureAwait(false) is null ? false : throw Conflict(id, expected);
        }

        await EnsureTableAsync().ConfigureAwait(false);
        var key = TableKey.Encode(id);
        var (answer, gone) = await SendWriteAsync(HttpMethod.Delete, key, null, version?.ETag ?? "*",
            async () => await ReadAsync(id, key, cancellationToken).ConfigureAwait(false) is null ? "" : null, cancellationToken).ConfigureAwait(false);
        if (gone is not null) return true;
        using var response = answer!;
        if (response.IsSuccessStatusCode) return true;
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            // Gone on a retry: the attempt whose answer was lost deleted it.
            if (TableStorageClient.WasRetried(response)) return true;
            return expected.Kind == ExpectedVersionKind.Exactly ? throw Conflict(id, expected) : false;
        }

        if (response.StatusCode == HttpStatusCode.PreconditionFailed) throw Conflict(id, expected);
        throw await TableStorageClient.FailureAsync(response, $"delete '{_definition.Name}/{id}'").ConfigureAwait(false);
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
        var items = document.RootElement.GetProperty("value").EnumerateArray().Select(e => ToEntity(e, null).Stored).ToList();
        var nextPartition = response.Headers.TryGetValues("x-ms-continuation-NextPartitionKey", out var p) ? p.FirstOrDefault() : null;
        var nextRow = response.Headers.TryGetValues("x-ms-continuation-NextRowKey", out var r) ? r.FirstOrDefault() : null;
        // Table Storage may answer fewer items than asked, even none, with a continuation token: the caller follows it.
        return new Page<Stored<T>>(items, string.IsNullOrEmpty(nextPartition) ? null : EncodeToken(nextPartition, nextRow ?? ""));
    }

    private Task EnsureTableAsync() => _created.Value;

    /// <summary>Inserts the entity at counter 1; null when an entity is there that this write did not create.</summary>
    private async Task<string?> CreateAsync(string id, (string PartitionKey, string RowKey) key, string json, CancellationToken cancellationToken)
    {
        var token = NewToken();
        var (answer, recognised) = await SendWriteAsync(HttpMethod.Post, key, EntityJson(key, json, 1, token), null,
            () => RecogniseAsync(id, key, 1, token, SupersededETag, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (recognised is not null) return recognised;
        using var response = answer!;
        if (response.IsSuccessStatusCode) return Format(1, token, ETag(response, id));
        if (response.StatusCode != HttpStatusCode.Conflict) throw await TableStorageClient.FailureAsync(response, $"create '{_definition.Name}/{id}'").ConfigureAwait(false);
        return TableStorageClient.WasRetried(response) ? await RecogniseAsync(id, key, 1, token, SupersededETag, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>Merges the write at the expected version's ETag with the next counter; null when the entity is not at that version.</summary>
    private async Task<string?> UpdateAsync(string id, (string PartitionKey, string RowKey) key, string json, ParsedVersion expected, CancellationToken cancellationToken)
    {
        var token = NewToken();
        var counter = expected.Counter + 1;
        var (answer, recognised) = await SendWriteAsync(Merge, key, EntityJson(key, json, counter, token), expected.ETag,
            () => RecogniseAsync(id, key, counter, token, expected.ETag, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (recognised is not null) return recognised;
        using var response = answer!;
        if (response.IsSuccessStatusCode) return Format(counter, token, ETag(response, id));
        if (response.StatusCode is not (HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound))
        {
            throw await TableStorageClient.FailureAsync(response, $"update '{_definition.Name}/{id}'").ConfigureAwait(false);
        }

        return TableStorageClient.WasRetried(response) ? await RecogniseAsync(id, key, counter, token, expected.ETag, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>Last writer wins, still one counter step at a time: read the entity, then create it or merge at its ETag, again after a conflict.</summary>
    private async Task<string> WriteAnyAsync(string id, (string PartitionKey, string RowKey) key, string json, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = await ReadAsync(id, key, cancellationToken).ConfigureAwait(false);
            var written = current is null
                ? await CreateAsync(id, key, json, cancellationToken).ConfigureAwait(false)
                : await UpdateAsync(id, key, json, new ParsedVersion(current.Value.Counter, current.Value.Token, current.Value.ETag), cancellationToken).ConfigureAwait(false);
            if (written is not null) return written;
        }
    }

    /// <summary>
    /// Sends a write, retrying transient failures like the client does, but first checking, right after a lost or failed
    /// answer, whether the write was applied (<paramref name="applied"/> returns its result, or null when it was not): checked
    /// at once, before the backoff, the document's ring of the last writes' tokens still holds this write's token however busy
    /// the document is. Returns either that result or the last answer.
    /// </summary>
    private async Task<(HttpResponseMessage? Answer, string? Applied)> SendWriteAsync(
        HttpMethod method, (string PartitionKey, string RowKey) key, byte[]? body, string? ifMatch, Func<Task<string?>> applied, CancellationToken cancellationToken)
    {
        var resource = method == HttpMethod.Post ? Table : Resource(key);
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            try
            {
                var response = await _client.SendOnceAsync(method, resource, null, body, ifMatch, attempt, cancellationToken).ConfigureAwait(false);
                if (attempt > _client.MaxRetries || !TableStorageClient.IsTransient(response.StatusCode)) return (response, null);
                retryAfter = response.Headers.RetryAfter?.Delta;
                response.Dispose();
            }
            catch (Exception e) when (attempt <= _client.MaxRetries && TableStorageClient.IsTransient(e, cancellationToken))
            {
                // The answer is lost; the write may have been applied. Checked below.
            }

            if (await applied().ConfigureAwait(false) is { } result) return (null, result);
            await _client.BackoffAsync(attempt, retryAfter, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After a retried write met a refused condition: reads the entity back, and when ring slot <paramref name="counter"/> still
    /// holds this write's <paramref name="token"/>, the write was applied by the attempt whose answer was lost. Its version is
    /// exact when nothing was written since, else it carries <paramref name="staleETag"/> so that it conflicts.
    /// </summary>
    private async Task<string?> RecogniseAsync(string id, (string PartitionKey, string RowKey) key, long counter, string token, string staleETag, CancellationToken cancellationToken)
    {
        if (await ReadAsync(id, key, cancellationToken).ConfigureAwait(false) is not { } stored) return null;
        if (stored.Counter < counter || stored.Counter >= counter + Ring || stored.RingToken(counter) != token) return null;
        return stored.Counter == counter ? stored.Stored.Version : Format(counter, token, staleETag);
    }

    private async Task<Entity?> ReadAsync(string id, (string PartitionKey, string RowKey) key, CancellationToken cancellationToken)
    {
        await EnsureTableAsync().ConfigureAwait(false);
        using var response = await _client.SendAsync(HttpMethod.Get, Resource(key), null, null, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode) throw await TableStorageClient.FailureAsync(response, $"read '{_definition.Name}/{id}'").ConfigureAwait(false);
        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        return ToEntity(document.RootElement, ETag(response, id));
    }

    private string Resource((string PartitionKey, string RowKey) key) => TableStorageClient.EntityResource(Table, key.PartitionKey, key.RowKey);

    private string ETag(HttpResponseMessage response, string id) => response.Headers.ETag?.ToString()
        ?? throw new InvalidOperationException($"Table Storage answered for '{_definition.Name}/{id}' without an ETag.");

    private static byte[] EntityJson((string PartitionKey, string RowKey) key, string json, long counter, string token)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("PartitionKey", key.PartitionKey);
            writer.WriteString("RowKey", key.RowKey);
            var chunks = 0;
            for (; chunks == 0 || chunks * ChunkChars < json.Length; chunks++)
            {
                var chunk = json.AsSpan(chunks * ChunkChars, Math.Min(ChunkChars, json.Length - (chunks * ChunkChars)));
                writer.WriteString(chunks == 0 ? BodyProperty : BodyProperty + chunks.ToString(CultureInfo.InvariantCulture), chunk);
            }

            writer.WriteNumber(ChunksProperty, chunks);
            writer.WriteString(CounterProperty + "@odata.type", "Edm.Int64");
            writer.WriteString(CounterProperty, counter.ToString(CultureInfo.InvariantCulture));
            writer.WriteString(Slot(counter), token);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private Entity ToEntity(JsonElement entity, string? etag)
    {
        var partitionKey = entity.GetProperty("PartitionKey").GetString()!;
        var rowKey = entity.TryGetProperty("RowKey", out var row) ? row.GetString() ?? "" : "";
        // Entities written before BodyChunks: every BodyN there is current.
        var chunks = entity.TryGetProperty(ChunksProperty, out var count) ? count.GetInt32() : int.MaxValue;
        var json = new StringBuilder(entity.TryGetProperty(BodyProperty, out var body) ? body.GetString() : "");
        for (var i = 1; i < chunks && entity.TryGetProperty(BodyProperty + i.ToString(CultureInfo.InvariantCulture), out var more); i++) json.Append(more.GetString());
        var value = JsonSerializer.Deserialize(json.ToString(), _definition.TypeInfo)
            ?? throw new InvalidOperationException($"The entity '{partitionKey}' of table '{Table}' holds JSON null.");
        var tag = etag ?? (entity.TryGetProperty("odata.etag", out var odata) ? odata.GetString() : null)
            ?? throw new InvalidOperationException($"Table Storage returned the entity '{partitionKey}' of table '{Table}' without an ETag.");
        // Entities written before write counters read as counter 0 with a fixed token; their next write is counter 1.
        var counter = !entity.TryGetProperty(CounterProperty, out var n) ? 0
            : n.ValueKind == JsonValueKind.Number ? n.GetInt64()
            : long.Parse(n.GetString() ?? "0", NumberStyles.None, CultureInfo.InvariantCulture);
        var ring = new Dictionary<long, string>();
        foreach (var property in entity.EnumerateObject())
        {
            if (property.Name.Length > 1 && property.Name[0] == 'W' && property.Value.ValueKind == JsonValueKind.String
                && int.TryParse(property.Name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var slot) && slot < Ring)
            {
                ring[slot] = property.Value.GetString()!;
            }
        }

        var token = counter == 0 ? LegacyToken : ring.GetValueOrDefault(counter % Ring, LegacyToken);
        return new Entity(new Stored<T>(TableKey.Decode(partitionKey, rowKey), value, Format(counter, token, tag)), counter, token, tag, ring);
    }

    private static string Slot(long counter) => RingProperty + (counter % Ring).ToString(CultureInfo.InvariantCulture);

    private static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));

    private static string Format(long counter, string token, string etag) => string.Create(CultureInfo.InvariantCulture, $"{counter}.{token}.{etag}");

    /// <summary>The parts of an <see cref="ExpectedVersionKind.Exactly"/> version; null for other kinds and for anything this store does not issue.</summary>
    private static ParsedVersion? Parse(ExpectedVersion expected)
    {
        if (expected.Kind != ExpectedVersionKind.Exactly) return null;
        var version = expected.Version!;
        var dot = version.IndexOf('.', StringComparison.Ordinal);
        if (dot is < 1 or > 18 || version.Length < dot + TokenLength + 3 || version[dot + TokenLength + 1] != '.') return null;
        if (!long.TryParse(version.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var counter)) return null;
        var token = version.Substring(dot + 1, TokenLength);
        var etag = version[(dot + TokenLength + 2)..];
        if (!token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return null;
        if (counter == 0 != (token == LegacyToken)) return null;
        // An ETag as Table Storage issues them: W/"…", printable ASCII, no quote inside.
        if (etag.Length < 5 || !etag.StartsWith("W/\"", StringComparison.Ordinal) || etag[^1] != '"'
            || etag.AsSpan(3, etag.Length - 4).ContainsAny('"', '\\') || etag.Any(c => c is < ' ' or > '~'))
        {
            return null;
        }

        return new ParsedVersion(counter, token, etag);
    }

    private ConcurrencyConflictException Conflict(string id, ExpectedVersion expected) => new(_definition.Name, id, expected);

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

    private readonly record struct ParsedVersion(long Counter, string Token, string ETag);

    private readonly record struct Entity(Stored<T> Stored, long Counter, string Token, string ETag, Dictionary<long, string> Ring)
    {
        public string? RingToken(long counter) => Ring.GetValueOrDefault(counter % TableRepository<T>.Ring);
    }
}
