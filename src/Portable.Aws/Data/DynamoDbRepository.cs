using System.Globalization;
using System.Text;
using System.Text.Json;
using Portable.Hosting;

namespace Portable.Aws.Data;

/// <summary>
/// <see cref="IRepository{T}"/> on a DynamoDB table with key <c>pk</c> (the repository name, hash) and <c>id</c> (range), so a
/// paged query reads in id order. The document is the JSON attribute <c>doc</c>; <c>v</c> is a number bumped by every write,
/// and every conditional write checks it in the same request (<c>ConditionExpression</c>), so a stale writer gets
/// <see cref="ConcurrencyConflictException"/> and no update is lost. Spoken over DynamoDB's JSON protocol (API 2012-08-10).
/// </summary>
internal sealed class DynamoDbRepository<T>(FunctionCatalog catalog, AwsConnection aws, AwsResourceNames names) : IRepository<T>
{
    private const string ConditionFailed = "ConditionalCheckFailedException";
    private readonly RepositoryDefinition<T> _definition = catalog.GetRepository<T>();
    private readonly string _table = names.Table(catalog.GetRepository<T>().Name);

    private AwsJsonClient Dynamo => aws.DynamoDb;

    public async Task<Stored<T>?> GetAsync(string id, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        using var response = await Dynamo.CallAsync("GetItem", json =>
        {
            json.WriteStartObject();
            json.WriteString("TableName", _table);
            WriteKey(json, id);
            json.WriteBoolean("ConsistentRead", true);
            json.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);
        return response.RootElement.TryGetProperty("Item", out var item) && item.ValueKind == JsonValueKind.Object ? Read(item) : null;
    }

    public async Task<string> PutAsync(string id, T value, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        var document = JsonSerializer.Serialize(value, _definition.TypeInfo);
        try
        {
            using var response = await Dynamo.CallAsync("UpdateItem", json =>
            {
                json.WriteStartObject();
                json.WriteString("TableName", _table);
                WriteKey(json, id);
                json.WriteString("UpdateExpression", "SET #doc = :doc, #v = if_not_exists(#v, :zero) + :one");
                WriteCondition(json, expected, id, ("#doc", "doc"), ("#v", "v"));
                json.WriteStartObject("ExpressionAttributeValues");
                WriteValue(json, ":doc", "S", document);
                WriteValue(json, ":zero", "N", "0");
                WriteValue(json, ":one", "N", "1");
                if (expected.Kind == ExpectedVersionKind.Exactly) WriteValue(json, ":expected", "N", ExpectedNumber(expected, id));
                json.WriteEndObject();
                json.WriteString("ReturnValues", "UPDATED_NEW");
                json.WriteEndObject();
            }, cancellationToken).ConfigureAwait(false);
            return response.RootElement.GetProperty("Attributes").GetProperty("v").GetProperty("N").GetString()!;
        }
        catch (AwsServiceException e) when (e.ErrorCode == ConditionFailed)
        {
            throw new ConcurrencyConflictException(_definition.Name, id, expected, e);
        }
    }

    public async Task<bool> DeleteAsync(string id, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        PortRules.ValidateDocumentId(id);
        try
        {
            using var response = await Dynamo.CallAsync("DeleteItem", json =>
            {
                json.WriteStartObject();
                json.WriteString("TableName", _table);
                WriteKey(json, id);
                if (expected.Kind != ExpectedVersionKind.Any)
                {
                    WriteCondition(json, expected, id);
                    if (expected.Kind == ExpectedVersionKind.Exactly)
                    {
                        json.WriteStartObject("ExpressionAttributeValues");
                        WriteValue(json, ":expected", "N", ExpectedNumber(expected, id));
                        json.WriteEndObject();
                    }
                }

                json.WriteString("ReturnValues", "ALL_OLD");
                json.WriteEndObject();
            }, cancellationToken).ConfigureAwait(false);
            return response.RootElement.TryGetProperty("Attributes", out var old) && old.ValueKind == JsonValueKind.Object && old.EnumerateObject().Any();
        }
        catch (AwsServiceException e) when (e.ErrorCode == ConditionFailed)
        {
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
            using var response = await Dynamo.CallAsync("Query", json =>
            {
                json.WriteStartObject();
                json.WriteString("TableName", _table);
                json.WriteString("KeyConditionExpression", "#pk = :pk");
                json.WriteStartObject("ExpressionAttributeNames");
                json.WriteString("#pk", "pk");
                json.WriteEndObject();
                json.WriteStartObject("ExpressionAttributeValues");
                WriteValue(json, ":pk", "S", _definition.Name);
                json.WriteEndObject();
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
        items.RemoveAt(items.Count - 1);
        return new Page<Stored<T>>(items, Convert.ToBase64String(Encoding.UTF8.GetBytes(items[^1].Id)));
    }

    private void WriteKey(Utf8JsonWriter json, string id)
    {
        json.WritePropertyName("Key");
        WriteKeyObject(json, id);
    }

    private void WriteKeyObject(Utf8JsonWriter json, string id)
    {
        json.WriteStartObject();
        WriteValue(json, "pk", "S", _definition.Name);
        WriteValue(json, "id", "S", id);
        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, string name, string type, string value)
    {
        json.WriteStartObject(name);
        json.WriteString(type, value);
        json.WriteEndObject();
    }

    /// <summary>Writes <c>ConditionExpression</c> and <c>ExpressionAttributeNames</c> (with <paramref name="names"/> too); the caller writes <c>:expected</c>.</summary>
    private static void WriteCondition(Utf8JsonWriter json, ExpectedVersion expected, string id, params (string Placeholder, string Name)[] names)
    {
        switch (expected.Kind)
        {
            case ExpectedVersionKind.None:
                json.WriteString("ConditionExpression", "attribute_not_exists(#id)");
                names = [.. names, ("#id", "id")];
                break;
            case ExpectedVersionKind.Exactly:
                json.WriteString("ConditionExpression", "#v = :expected");
                if (!names.Any(n => n.Placeholder == "#v")) names = [.. names, ("#v", "v")];
                break;
        }

        if (names.Length == 0) return;
        json.WriteStartObject("ExpressionAttributeNames");
        foreach (var (placeholder, name) in names) json.WriteString(placeholder, name);
        json.WriteEndObject();
    }

    private string ExpectedNumber(ExpectedVersion expected, string id)
        => long.TryParse(expected.Version, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version.ToString(CultureInfo.InvariantCulture)
            : throw new ConcurrencyConflictException(_definition.Name, id, expected);

    private Stored<T> Read(JsonElement item)
        => new(
            item.GetProperty("id").GetProperty("S").GetString()!,
            JsonSerializer.Deserialize(item.GetProperty("doc").GetProperty("S").GetString()!, _definition.TypeInfo)!,
            item.GetProperty("v").GetProperty("N").GetString()!);

    private static string? DecodeToken(string? token)
    {
        if (token is null) return null;
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The continuation token is not one this repository returned.", nameof(token), e);
        }
    }
}
