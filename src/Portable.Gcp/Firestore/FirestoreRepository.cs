using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Portable.Gcp.Auth;
using Portable.Hosting;

namespace Portable.Gcp.Firestore;

/// <summary>
/// <see cref="IRepository{T}"/> on Firestore's REST API (v1): a document per id in the declared collection (the id escaped by
/// <see cref="FirestoreDocumentId"/>). A stored document has the user's JSON document as one map field, <c>doc</c>, next to the
/// bookkeeping fields <c>n</c> (the count of conditional writes), <c>t</c> (the random token of the last write) and
/// <c>w0</c>…<c>w127</c> (the tokens of the last 128 conditional writes, slot <c>n mod 128</c>); reads return <c>doc</c> alone.
/// Every write is a <c>PATCH</c> whose <c>updateMask</c> names exactly the fields it sets (so a field removed from the user's
/// document is removed from <c>doc</c>, and the ring keeps its other slots). The version is <see cref="FirestoreVersion"/>,
/// <c>{n}.{t}.{updateTime}</c>: conditional writes carry a precondition (<c>currentDocument.exists=false</c> to create,
/// <c>currentDocument.updateTime</c> to update or delete), so a stale write is refused by Firestore and becomes a
/// <see cref="ConcurrencyConflictException"/>. Requests are retried on transient failures
/// (<see cref="GoogleApiClient.SendWithRetriesAsync"/>); when the answer to a conditional write is lost, the document is read back
/// at once (and again if a retry fails its precondition), and the write counts as done when its token is in the ring, so a lost
/// answer is neither a false conflict nor a double apply. A delete whose answer is lost and that then finds the document gone
/// reports it deleted. Queries list the collection in document
/// name order (the escaped id, compared as Firestore orders strings), a page at a time.
/// </summary>
internal sealed class FirestoreRepository<T>(FunctionCatalog catalog, GoogleApiClient api) : IRepository<T>
{
    private const string DocumentField = "doc";
    private const string CounterField = "n";
    private const string TokenField = "t";

    /// <summary>The token a document written before versions had tokens reads with (it has no <c>t</c> field).</summary>
    private const string NoToken = "AAAAAAAAAAAAAAAA";

    private readonly RepositoryDefinition<T> _definition = catalog.GetRepository<T>();

    public async Task<Stored<T>?> GetAsync(string id, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        using var document = await ReadDocumentAsync(id, cancellationToken).ConfigureAwait(false);
        return document is null ? null : ToStored(document.RootElement);
    }

    public async Task<string> PutAsync(string id, T value, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        var json = PortRules.SerializeDocument(value, _definition.TypeInfo, _definition.Name, id);
        var current = Expected(expected, id);
        var token = FirestoreVersion.NewToken();

        // An unconditional write sets the document and the token, and leaves the counter and the ring as they are.
        long? counter = expected.Kind switch
        {
            ExpectedVersionKind.None => 1,
            ExpectedVersionKind.Exactly => current!.Value.Counter + 1,
            _ => null,
        };
        var body = Serialize(json, counter, token);
        string[] mask = counter is { } n ? [DocumentField, CounterField, TokenField, FirestoreVersion.RingSlot(n)] : [DocumentField, TokenField];
        var url = await DocumentUrlAsync(id, cancellationToken).ConfigureAwait(false) + "?"
            + string.Join('&', [.. Precondition(expected, current, forDelete: false), .. mask.Select(f => "updateMask.fieldPaths=" + f)]);
        string? applied = null;
        Func<CancellationToken, Task<bool>>? wasApplied = counter is { } written
            ? async ct => (applied = await AppliedVersionAsync(id, written, token, current?.UpdateTime, ct).ConfigureAwait(false)) is not null
            : null;
        using var response = await api.SendWithRetriesAsync(
            () => new HttpRequestMessage(HttpMethod.Patch, url) { Content = GoogleApiClient.Json(body) }, api.FirestoreEmulated, cancellationToken, wasApplied: wasApplied).ConfigureAwait(false);
        if (response is null) return applied!; // an answer was lost, and the document shows the write
        if (counter is { } mine && await IsConflictAsync(response, cancellationToken).ConfigureAwait(false))
        {
            // The precondition also fails when an earlier attempt was applied and only its answer was lost: the ring then holds our token.
            return await AppliedVersionAsync(id, mine, token, current?.UpdateTime, cancellationToken).ConfigureAwait(false)
                ?? throw new ConcurrencyConflictException(_definition.Name, id, expected);
        }

        var answer = await ReadAsync(response, "Writing " + Describe(id), cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(answer);
        return VersionOf(document.RootElement).ToString();
    }

    public async Task<bool> DeleteAsync(string id, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        if (expected.Kind == ExpectedVersionKind.None)
        {
            // "Delete only if absent" deletes nothing; it conflicts when a document is there.
            return await GetAsync(id, cancellationToken).ConfigureAwait(false) is null
                ? false
                : throw new ConcurrencyConflictException(_definition.Name, id, expected);
        }

        var current = Expected(expected, id);
        var url = await DocumentUrlAsync(id, cancellationToken).ConfigureAwait(false) + "?" + Precondition(expected, current, forDelete: true).Single();
        var attempts = new StrongBox<int>();
        using var response = await api.SendWithRetriesAsync(
            () => new HttpRequestMessage(HttpMethod.Delete, url), api.FirestoreEmulated, cancellationToken, attempts,
            async token => await GetAsync(id, token).ConfigureAwait(false) is null).ConfigureAwait(false);
        if (response is null) return true; // an answer was lost, and the document is gone
        if (await IsConflictAsync(response, cancellationToken).ConfigureAwait(false))
        {
            // A retry of a delete whose answer was lost finds the document gone: the earlier attempt deleted it.
            if (attempts.Value > 1 && await GetAsync(id, cancellationToken).ConfigureAwait(false) is null) return true;
            if (expected.Kind == ExpectedVersionKind.Any) return false;
            throw new ConcurrencyConflictException(_definition.Name, id, expected);
        }

        await ReadAsync(response, "Deleting " + Describe(id), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<Page<Stored<T>>> QueryAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var url = await CollectionUrlAsync(cancellationToken).ConfigureAwait(false) + $"?pageSize={request.PageSize}&orderBy=__name__";
        if (request.ContinuationToken is { Length: > 0 } token) url += "&pageToken=" + Uri.EscapeDataString(token);
        using var response = await api.ReadWithRetriesAsync(() => new HttpRequestMessage(HttpMethod.Get, url), api.FirestoreEmulated, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.BadRequest && request.ContinuationToken is { Length: > 0 })
        {
            // The caller's token, not ours (Firestore answers 400 INVALID_ARGUMENT): the same ArgumentException as every other store.
            throw new ArgumentException($"The continuation token was not given out by collection '{_definition.Name}': Firestore refused it.", nameof(request));
        }

        var body = await ReadAsync(response, $"Listing collection '{_definition.Name}'", cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(body);
        var items = new List<Stored<T>>();
        if (document.RootElement.TryGetProperty("documents", out var documents))
        {
            foreach (var item in documents.EnumerateArray()) items.Add(ToStored(item));
        }

        var next = document.RootElement.TryGetProperty("nextPageToken", out var n) && n.GetString() is { Length: > 0 } t ? t : null;
        return new Page<Stored<T>>(items, next);
    }

    /// <summary>The stored document, or null when there is none.</summary>
    private async Task<JsonDocument?> ReadDocumentAsync(string id, CancellationToken cancellationToken)
    {
        var url = await DocumentUrlAsync(id, cancellationToken).ConfigureAwait(false);
        using var response = await api.ReadWithRetriesAsync(() => new HttpRequestMessage(HttpMethod.Get, url), api.FirestoreEmulated, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return JsonDocument.Parse(await ReadAsync(response, "Reading " + Describe(id), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The version to return for my conditional write <paramref name="counter"/> / <paramref name="token"/> when its precondition failed
    /// and the stored document shows it was applied (its counter at or after mine by less than the ring's size, my token in my
    /// slot); null when it was not. The version is the current one when nobody wrote after me, else mine with an
    /// <c>updateTime</c> that is no longer current, so that it conflicts on the next conditional write.
    /// </summary>
    private async Task<string?> AppliedVersionAsync(string id, long counter, string token, string? expectedUpdateTime, CancellationToken cancellationToken)
    {
        using var document = await ReadDocumentAsync(id, cancellationToken).ConfigureAwait(false);
        if (document is null || !document.RootElement.TryGetProperty("fields", out var fields)) return null;
        var stored = VersionOf(document.RootElement);
        var applied = stored.Counter >= counter && stored.Counter - counter < FirestoreVersion.RingSize
            && fields.TryGetProperty(FirestoreVersion.RingSlot(counter), out var slot)
            && slot.TryGetProperty("stringValue", out var ring) && ring.ValueEquals(token);
        if (!applied) return null;
        if (stored.Counter == counter && stored.Token == token) return stored.ToString();
        var stale = expectedUpdateTime ?? document.RootElement.GetProperty("createTime").GetString()!; // a create's own updateTime is the createTime
        return new FirestoreVersion(counter, token, stale).ToString();
    }

    /// <summary>The version an <see cref="ExpectedVersionKind.Exactly"/> condition names (null otherwise); one this store did not issue is a conflict.</summary>
    private FirestoreVersion? Expected(ExpectedVersion expected, string id)
    {
        if (expected.Kind != ExpectedVersionKind.Exactly) return null;
        return FirestoreVersion.TryParse(expected.Version, out var version) ? version : throw new ConcurrencyConflictException(_definition.Name, id, expected);
    }

    /// <summary>The Firestore document body: <c>doc</c> (the JSON as a map), <c>t</c>, and for a conditional write <c>n</c> and its ring slot.</summary>
    private static byte[] Serialize(byte[] json, long? counter, string token)
    {
        using var element = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("fields");
            writer.WriteStartObject(DocumentField);
            writer.WriteStartObject("mapValue");
            FirestoreValues.WriteFields(writer, element.RootElement);
            writer.WriteEndObject();
            writer.WriteEndObject();
            WriteString(writer, TokenField, token);
            if (counter is { } n)
            {
                writer.WriteStartObject(CounterField);
                writer.WriteString("integerValue", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteEndObject();
                WriteString(writer, FirestoreVersion.RingSlot(n), token);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteString(Utf8JsonWriter writer, string field, string value)
    {
        writer.WriteStartObject(field);
        writer.WriteString("stringValue", value);
        writer.WriteEndObject();
    }

    private Stored<T> ToStored(JsonElement document)
    {
        var name = document.GetProperty("name").GetString()!;
        var id = FirestoreDocumentId.Unescape(name[(name.LastIndexOf('/') + 1)..]); // resource names carry the stored id as it is, not URL-encoded
        var fields = document.TryGetProperty("fields", out var all) ? all : default;

        // A document written before the user's document moved into "doc" has the user's fields at the top.
        var user = fields.ValueKind == JsonValueKind.Object && fields.TryGetProperty(DocumentField, out var doc) && doc.TryGetProperty("mapValue", out var map)
            ? map.TryGetProperty("fields", out var inner) ? inner : default
            : fields;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            FirestoreValues.WriteJson(writer, user);
        }

        var value = JsonSerializer.Deserialize(buffer.ToArray(), _definition.TypeInfo)!;
        return new Stored<T>(id, value, VersionOf(document).ToString());
    }

    /// <summary>The version of a stored document (from a read or a write's answer).</summary>
    private static FirestoreVersion VersionOf(JsonElement document)
    {
        var fields = document.TryGetProperty("fields", out var all) && all.ValueKind == JsonValueKind.Object ? all : default;
        var counter = fields.ValueKind == JsonValueKind.Object && fields.TryGetProperty(CounterField, out var n) && n.TryGetProperty("integerValue", out var number)
            ? long.Parse(number.ValueKind == JsonValueKind.String ? number.GetString()! : number.GetRawText(), System.Globalization.CultureInfo.InvariantCulture)
            : 0;
        var token = fields.ValueKind == JsonValueKind.Object && fields.TryGetProperty(TokenField, out var t) && t.TryGetProperty("stringValue", out var text)
            ? text.GetString()!
            : NoToken;
        return new FirestoreVersion(counter, token, document.GetProperty("updateTime").GetString()!);
    }

    /// <summary>The <c>currentDocument</c> query parameter of a write (none for an unconditional put; <c>exists=true</c> for an unconditional delete, which says whether it deleted).</summary>
    private static string[] Precondition(ExpectedVersion expected, FirestoreVersion? current, bool forDelete) => expected.Kind switch
    {
        ExpectedVersionKind.None => ["currentDocument.exists=false"],
        ExpectedVersionKind.Exactly => ["currentDocument.updateTime=" + Uri.EscapeDataString(current!.Value.UpdateTime)],
        _ => forDelete ? ["currentDocument.exists=true"] : [],
    };

    /// <summary>True when Firestore refused a precondition (or found no document to meet it); the answer's body is read then.</summary>
    private static async Task<bool> IsConflictAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode || response.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Conflict)) return false;
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var (status, _) = await GoogleApiClient.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return status is "FAILED_PRECONDITION" or "ALREADY_EXISTS" or "NOT_FOUND" or "ABORTED";
    }

    private static async Task<byte[]> ReadAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var (_, body) = await GoogleApiClient.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        throw GoogleApiClient.Failure(what, response, body);
    }

    private async Task<string> CollectionUrlAsync(CancellationToken cancellationToken)
    {
        var project = await api.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
        return $"{api.FirestoreBase}projects/{project}/databases/{Uri.EscapeDataString(api.FirestoreDatabase)}/documents/{Uri.EscapeDataString(_definition.Name)}";
    }

    private async Task<string> DocumentUrlAsync(string id, CancellationToken cancellationToken)
        => await CollectionUrlAsync(cancellationToken).ConfigureAwait(false) + "/" + Uri.EscapeDataString(FirestoreDocumentId.Escape(id));

    private string Describe(string id) => $"'{_definition.Name}/{id}'";
}
