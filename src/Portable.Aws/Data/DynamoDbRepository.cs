using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Portable.Hosting;

namespace Portable.Aws.Data;

/// <summary>
/// <see cref="IRepository{T}"/> on a DynamoDB table of its own, keyed by the document id alone (<c>id</c>, the hash key), so the
/// documents spread over the table's partitions. The document is the JSON attribute <c>doc</c>; <c>n</c> counts the document's
/// writes, <c>t</c> is the random token of its last write, and <c>w0</c>…<c>w31</c> keep the tokens of the last 32 conditional
/// writes (slot <c>n mod 32</c>). The version is <c>{n}.{t}</c> (<see cref="DynamoDbVersion"/>): never reused, also across delete and
/// re-create. Every conditional write checks <c>n</c> and <c>t</c> in the same request (<c>ConditionExpression</c>), so a stale
/// writer gets <see cref="ConcurrencyConflictException"/> and no update is lost. When the answer to a conditional write is lost
/// (a network failure, a 5xx), the item is read back at once (and again if a retry fails its condition): the write counts as done
/// when its token is in the ring, so a lost answer is neither a false conflict nor a double apply. A delete whose answer is lost and
/// that then finds the document gone reports it deleted.
/// Listing is a <c>Scan</c>, a page at a time: every document once, in no particular order. Spoken over DynamoDB's JSON protocol
/// (API 2012-08-10).
/// </summary>
internal sealed class DynamoDbRepository<T>(FunctionCatalog catalog, AwsConnection aws, AwsResourceNames names) : IRepository<T>
{
    private const string ConditionFailed = "ConditionalCheckFailedException";
    private const string Matches = "#n = :n AND #t = :t";
    private readonly RepositoryDefinition<T> _definition = catalog.GetRepository<T>();
    private readonly string _table = names.Table(catalog.GetRepository<T>().Name);

    private AwsJsonClient Dynamo => aws.DynamoDb;

    public async Task<Stored<T>?> GetAsync(string id, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        using var response = await GetItemAsync(id, cancellationToken).ConfigureAwait(false);
        return response.RootElement.TryGetProperty("Item", out var item) && item.ValueKind == JsonValueKind.Object ? Read(item) : null;
    }

    public async Task<string> PutAsync(string id, T value, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        var document = PortRules.SerializeDocument(value, _definition.TypeInfo, _definition.Name, id);
        var token = DynamoDbVersion.NewToken();
        if (expected.Kind == ExpectedVersionKind.Any)
        {
            using var written = await Dynamo.CallAsync("UpdateItem", json =>
            {
                json.WriteStartObject();
                json.WriteString("TableName", _table);
                WriteKey(json, id);
                json.WriteString("UpdateExpression", "SET #doc = :doc, #n = if_not_exists(#n, :zero) + :one, #t = :token");
                WriteNames(json, ("#doc", "doc"), ("#n", "n"), ("#t", "t"));
                json.WriteStartObject("ExpressionAttributeValues");
                WriteValue(json, ":doc", "S", document);
                WriteValue(json, ":zero", "N", "0");
                WriteValue(json, ":one", "N", "1");
                WriteValue(json, ":token", "S", token);
                json.WriteEndObject();
                json.WriteString("ReturnValues", "UPDATED_NEW");
                json.WriteEndObject();
            }, cancellationToken).ConfigureAwait(false);
            var n = written.RootElement.GetProperty("Attributes").GetProperty("n").GetProperty("N").GetString()!;
            return n + "." + token;
        }

        var current = Expected(expected, id);
        var mine = new DynamoDbVersion(current is { } c ? c.Counter + 1 : 1, token);
        var attempts = new StrongBox<int>();
        try
        {
            using var response = await Dynamo.WriteAsync("UpdateItem", json =>
            {
                json.WriteStartObject();
                json.WriteString("TableName", _table);
                WriteKey(json, id);
                json.WriteString("UpdateExpression", "SET #doc = :doc, #n = :next, #t = :token, #w = :token");
                json.WriteString("ConditionExpression", current is null ? "attribute_not_exists(#id)" : Matches);
                WriteNames(json, ("#doc", "doc"), ("#n", "n"), ("#t", "t"), ("#w", DynamoDbVersion.RingSlot(mine.Counter)), current is null ? ("#id", "id") : default);
                json.WriteStartObject("ExpressionAttributeValues");
                WriteValue(json, ":doc", "S", document);
                WriteValue(json, ":next", "N", mine.Counter.ToString(System.Globalization.CultureInfo.InvariantCulture));
                WriteValue(json, ":token", "S", token);
                if (current is { } expectedVersion) WriteExpected(json, expectedVersion);
                json.WriteEndObject();
                json.WriteEndObject();
            }, token => OutcomeAsync(id, mine, current, token), attempts, cancellationToken).ConfigureAwait(false);
            return mine.ToString(); // also when an answer was lost and the item shows the write (no answer then)
        }
        catch (AwsServiceException e) when (e.ErrorCode == ConditionFailed)
        {
            // The condition also fails when an earlier attempt was applied and only its answer was lost: the ring then holds our token.
            if (await WasAppliedAsync(id, mine, cancellationToken).ConfigureAwait(false)) return mine.ToString();
            throw new ConcurrencyConflictException(_definition.Name, id, expected, e);
        }
    }

    public async Task<bool> DeleteAsync(string id, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        var current = expected.Kind == ExpectedVersionKind.Exactly ? Expected(expected, id) : null;
        var attempts = new StrongBox<int>();
        try
        {
            using var response = await Dynamo.WriteAsync("DeleteItem", json =>
            {
                json.WriteStartObject();
                json.WriteString("TableName", _table);
                WriteKey(json, id);
                if (expected.Kind != ExpectedVersionKind.Any)
                {
                    json.WriteString("ConditionExpression", current is null ? "attribute_not_exists(#id)" : Matches);
                    if (current is null) WriteNames(json, ("#id", "id"));
                    else WriteNames(json, ("#n", "n"), ("#t", "t"));
                    if (current is { } expectedVersion)
                    {
                        json.WriteStartObject("ExpressionAttributeValues");
                        WriteExpected(json, expectedVersion);
                        json.WriteEndObject();
                    }
                }

                json.WriteString("ReturnValues", "ALL_OLD");
                json.WriteEndObject();
            }, async token => await GetAsync(id, token).ConfigureAwait(false) is null ? true : null, attempts, cancellationToken).ConfigureAwait(false);
            if (response is null) return true; // an answer was lost, and the document is gone
            var deleted = response.RootElement.TryGetProperty("Attributes", out var old) && old.ValueKind == JsonValueKind.Object && old.EnumerateObject().Any();

            // A retry of a delete whose answer was lost finds nothing: the earlier attempt deleted the document.
            return deleted || attempts.Value > 1;
        }
        catch (AwsServiceException e) when (e.ErrorCode == ConditionFailed)
        {
            if (current is not null && attempts.Value > 1 && await GetAsync(id, cancellationToken).ConfigureAwait(false) is null) return true;
            throw new ConcurrencyConflictException(_definition.Name, id, expected, e);
        }
    }

    public async Task<Page<Stored<T>>> QueryAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var size = request.PageSize;
        var items = new List<Stored<T>>(size + 1);
        var start = DecodeToken(request.ContinuationToken);
        do
        {
            var limit = size + 1 - items.Count;
            var after = start;
            using var response = await Dynamo.CallAsync("Scan", json =>
            {
                json.WriteStartObject();
                json.WriteString("TableName", _table);
                json.WriteBoolean("ConsistentRead", true);
                json.WriteNumber("Limit", limit);
                if (after is not null)
                {
                    json.WritePropertyName("ExclusiveStartKey");
                    WriteKeyObject(json, after);
                }

                json.WriteEndObject();
            }, cancellationToken).ConfigureAwait(false);
            var root = response.RootElement;
            if (root.TryGetProperty("Items", out var found)) items.AddRange(found.EnumerateArray().Select(Read));
            start = root.TryGetProperty("LastEvaluatedKey", out var last) && last.TryGetProperty("id", out var lastId) ? lastId.GetProperty("S").GetString() : null;
        }
        while (start is not null && items.Count <= size);

        if (items.Count <= size) return new Page<Stored<T>>(items, null);

        // One more than a page was read: the next page starts after the last item returned, which the Scan order places before it.
        items.RemoveAt(items.Count - 1);
        return new Page<Stored<T>>(items, Convert.ToBase64String(Encoding.UTF8.GetBytes(items[^1].Id)));
    }

    private Task<JsonDocument> GetItemAsync(string id, CancellationToken cancellationToken)
        => Dynamo.CallAsync("GetItem", json =>
        {
            json.WriteStartObject();
            json.WriteString("TableName", _table);
            WriteKey(json, id);
            json.WriteBoolean("ConsistentRead", true);
            json.WriteEndObject();
        }, cancellationToken);

    /// <summary>
    /// After a lost answer: true when <paramref name="mine"/> was applied (<see cref="WasAppliedAsync"/>), false when it can no
    /// longer apply (the item is no longer at <paramref name="expected"/>, or a create finds it there: a retry would fail its
    /// condition), null when a retry may still apply it.
    /// </summary>
    private async Task<bool?> OutcomeAsync(string id, DynamoDbVersion mine, DynamoDbVersion? expected, CancellationToken cancellationToken)
    {
        using var response = await GetItemAsync(id, cancellationToken).ConfigureAwait(false);
        if (!response.RootElement.TryGetProperty("Item", out var item) || item.ValueKind != JsonValueKind.Object) return expected is null ? null : false;
        if (Holds(item, mine)) return true;
        if (expected is not { } at) return false;
        var counter = item.TryGetProperty("n", out var n) && long.TryParse(n.GetProperty("N").GetString(), System.Globalization.CultureInfo.InvariantCulture, out var c) ? c : -1;
        var token = item.TryGetProperty("t", out var t) && t.TryGetProperty("S", out var s) ? s.GetString() : null;
        return counter == at.Counter && token == at.Token ? null : false;
    }

    /// <summary>
    /// True when the stored item shows that <paramref name="mine"/> was applied: its counter is at or after mine (by less than the
    /// ring's size) and the ring slot of my counter holds my token.
    /// </summary>
    private async Task<bool> WasAppliedAsync(string id, DynamoDbVersion mine, CancellationToken cancellationToken)
    {
        using var response = await GetItemAsync(id, cancellationToken).ConfigureAwait(false);
        return response.RootElement.TryGetProperty("Item", out var item) && item.ValueKind == JsonValueKind.Object && Holds(item, mine);
    }

    /// <summary>True when <paramref name="item"/>'s counter is at or after mine (by less than the ring's size) and the ring slot of my counter holds my token.</summary>
    private static bool Holds(JsonElement item, DynamoDbVersion mine)
    {
        if (!item.TryGetProperty("n", out var n) || !long.TryParse(n.GetProperty("N").GetString(), System.Globalization.CultureInfo.InvariantCulture, out var counter)) return false;
        return counter >= mine.Counter && counter - mine.Counter < DynamoDbVersion.RingSize
            && item.TryGetProperty(DynamoDbVersion.RingSlot(mine.Counter), out var slot)
            && slot.TryGetProperty("S", out var token) && token.ValueEquals(mine.Token);
    }

    /// <summary>The version an <see cref="ExpectedVersionKind.Exactly"/> condition names (null for a create); one this store did not issue is a conflict.</summary>
    private DynamoDbVersion? Expected(ExpectedVersion expected, string id)
    {
        if (expected.Kind != ExpectedVersionKind.Exactly) return null;
        return DynamoDbVersion.TryParse(expected.Version, out var version) ? version : throw new ConcurrencyConflictException(_definition.Name, id, expected);
    }

    private void WriteKey(Utf8JsonWriter json, string id)
    {
        json.WritePropertyName("Key");
        WriteKeyObject(json, id);
    }

    private static void WriteKeyObject(Utf8JsonWriter json, string id)
    {
        json.WriteStartObject();
        WriteValue(json, "id", "S", id);
        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, string name, string type, string value)
    {
        json.WriteStartObject(name);
        json.WriteString(type, value);
        json.WriteEndObject();
    }

    /// <summary>A string attribute value given as its UTF-8 bytes (the document's JSON): written as a JSON string without a .NET string of it.</summary>
    private static void WriteValue(Utf8JsonWriter json, string name, string type, ReadOnlySpan<byte> utf8)
    {
        json.WriteStartObject(name);
        json.WriteString(type, utf8);
        json.WriteEndObject();
    }

    private static void WriteExpected(Utf8JsonWriter json, DynamoDbVersion expected)
    {
        WriteValue(json, ":n", "N", expected.Counter.ToString(System.Globalization.CultureInfo.InvariantCulture));
        WriteValue(json, ":t", "S", expected.Token);
    }

    /// <summary>Writes <c>ExpressionAttributeNames</c>: exactly the placeholders the expressions use (DynamoDB refuses unused ones); a default pair is skipped.</summary>
    private static void WriteNames(Utf8JsonWriter json, params (string? Placeholder, string? Name)[] names)
    {
        json.WriteStartObject("ExpressionAttributeNames");
        foreach (var (placeholder, name) in names)
        {
            if (placeholder is not null) json.WriteString(placeholder, name);
        }

        json.WriteEndObject();
    }

    private Stored<T> Read(JsonElement item)
        => new(
            item.GetProperty("id").GetProperty("S").GetString()!,
            JsonSerializer.Deserialize(item.GetProperty("doc").GetProperty("S").GetString()!, _definition.TypeInfo)!,
            item.GetProperty("n").GetProperty("N").GetString() + "." + item.GetProperty("t").GetProperty("S").GetString());

    private static string? DecodeToken(string? token)
    {
        if (token is null) return null;
        try
        {
            var id = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(token));
            PortRules.ValidateDocumentId(id);
            return id;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new ArgumentException("The continuation token is not one this repository returned.", nameof(token), e);
        }
    }
}
