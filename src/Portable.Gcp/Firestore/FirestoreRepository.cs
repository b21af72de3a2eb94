using System.Net;

using System.Text.Json;
using Portable.Gcp.Auth;
using Portable.Hosting;

namespace Portable.Gcp.Firestore;

/// <summary>
/// <see cref="IRepository{T}"/> on Firestore's REST API (v1): a document per id in the declared collection, its
/// <c>updateTime</c> as the version. Writes carry a precondition (<c>currentDocument.exists=false</c> to create,
/// <c>currentDocument.updateTime</c> to update), so a stale write is refused by Firestore and becomes a
/// <see cref="ConcurrencyConflictException"/>. Queries list the collection in document-name order, a page at a time.
/// </summary>
internal sealed class FirestoreRepository<T>(FunctionCatalog catalog, GoogleApiClient api) : IRepository<T>
{
    private readonly RepositoryDefinition<T> _definition = catalog.GetRepository<T>();

    public async Task<Stored<T>?> GetAsync(string id, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        using var request = new HttpRequestMessage(HttpMethod.Get, await DocumentUrlAsync(id, cancellationToken).ConfigureAwait(false));
        using var response = await api.SendAsync(request, api.FirestoreEmulated, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        var body = await ReadAsync(response, "Reading " + Describe(id), cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(body);
        return ToStored(document.RootElement);
    }

    public async Task<string> PutAsync(string id, T value, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        var url = await DocumentUrlAsync(id, cancellationToken).ConfigureAwait(false) + Precondition(expected, forDelete: false);
        using var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = GoogleApiClient.Json(Serialize(value)) };
        using var response = await api.SendAsync(request, api.FirestoreEmulated, cancellationToken).ConfigureAwait(false);
        await ThrowIfConflictAsync(response, id, expected, cancellationToken).ConfigureAwait(false);
        var body = await ReadAsync(response, "Writing " + Describe(id), cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("updateTime").GetString()!;
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

        var url = await DocumentUrlAsync(id, cancellationToken).ConfigureAwait(false) + Precondition(expected, forDelete: true);
        using var request = new HttpRequestMessage(HttpMethod.Delete, url);
        using var response = await api.SendAsync(request, api.FirestoreEmulated, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound && expected.Kind == ExpectedVersionKind.Any) return false;
        await ThrowIfConflictAsync(response, id, expected, cancellationToken).ConfigureAwait(false);
        await ReadAsync(response, "Deleting " + Describe(id), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<Page<Stored<T>>> QueryAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var url = await CollectionUrlAsync(cancellationToken).ConfigureAwait(false) + $"?pageSize={request.PageSize}&orderBy=__name__";
        if (request.ContinuationToken is { Length: > 0 } token) url += "&pageToken=" + Uri.EscapeDataString(token);
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await api.SendAsync(message, api.FirestoreEmulated, cancellationToken).ConfigureAwait(false);
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

    private byte[] Serialize(T value)
    {
        using var element = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(value, _definition.TypeInfo));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            FirestoreValues.WriteFields(writer, element.RootElement);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private Stored<T> ToStored(JsonElement document)
    {
        var name = document.GetProperty("name").GetString()!;
        var id = name[(name.LastIndexOf('/') + 1)..]; // resource names carry the id as it is, not URL-encoded
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            FirestoreValues.WriteJson(writer, document.TryGetProperty("fields", out var fields) ? fields : default);
        }

        var value = JsonSerializer.Deserialize(buffer.ToArray(), _definition.TypeInfo)!;
        return new Stored<T>(id, value, document.GetProperty("updateTime").GetString()!);
    }

    private static string Precondition(ExpectedVersion expected, bool forDelete) => expected.Kind switch
    {
        ExpectedVersionKind.None => "?currentDocument.exists=false",
        ExpectedVersionKind.Exactly => "?currentDocument.updateTime=" + Uri.EscapeDataString(expected.Version!),
        _ => forDelete ? "?currentDocument.exists=true" : "",
    };

    private async Task ThrowIfConflictAsync(HttpResponseMessage response, string id, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode || expected.Kind == ExpectedVersionKind.Any && response.StatusCode != HttpStatusCode.Conflict) return;
        var (status, _) = await GoogleApiClient.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        if (status is "FAILED_PRECONDITION" or "ALREADY_EXISTS" or "NOT_FOUND" or "ABORTED")
            throw new ConcurrencyConflictException(_definition.Name, id, expected);
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
        => await CollectionUrlAsync(cancellationToken).ConfigureAwait(false) + "/" + Uri.EscapeDataString(id);

    private string Describe(string id) => $"'{_definition.Name}/{id}'";

}
