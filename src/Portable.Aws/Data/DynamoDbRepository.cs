using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Portable.Hosting;

namespace Portable.Aws.Data;

/// <summary>
/// <see cref="IRepository{T}"/> on a DynamoDB table with key <c>pk</c> (the repository name, hash) and <c>id</c> (range), so a
/// paged query reads in id order. The document is the JSON attribute <c>doc</c>; <c>v</c> is a number bumped by every write,
/// and every conditional write checks it in the same request (<c>ConditionExpression</c>), so a stale writer gets
/// <see cref="ConcurrencyConflictException"/> and no update is lost.
/// </summary>
internal sealed class DynamoDbRepository<T>(FunctionCatalog catalog, IAmazonDynamoDB dynamo, AwsResourceNames names) : IRepository<T>
{
    private readonly RepositoryDefinition<T> _definition = catalog.GetRepository<T>();
    private readonly string _table = names.Table(catalog.GetRepository<T>().Name);

    public async Task<Stored<T>?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var response = await dynamo.GetItemAsync(new GetItemRequest { TableName = _table, Key = Key(id), ConsistentRead = true }, cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? Read(item) : null;
    }

    public async Task<string> PutAsync(string id, T value, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var request = new UpdateItemRequest
        {
            TableName = _table,
            Key = Key(id),
            UpdateExpression = "SET #doc = :doc, #v = if_not_exists(#v, :zero) + :one",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#doc"] = "doc", ["#v"] = "v" },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":doc"] = new() { S = JsonSerializer.Serialize(value, _definition.TypeInfo) },
                [":zero"] = new() { N = "0" },
                [":one"] = new() { N = "1" },
            },
            ReturnValues = ReturnValue.UPDATED_NEW,
        };
        Condition(expected, id, request.ExpressionAttributeNames, request.ExpressionAttributeValues, c => request.ConditionExpression = c);
        try
        {
            var response = await dynamo.UpdateItemAsync(request, cancellationToken).ConfigureAwait(false);
            return response.Attributes["v"].N;
        }
        catch (ConditionalCheckFailedException e)
        {
            throw new ConcurrencyConflictException($"The write to '{_definition.Name}/{id}' expected {expected}, but the stored document differs. Read it again and retry.", e);
        }
    }

    public async Task<bool> DeleteAsync(string id, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var request = new DeleteItemRequest { TableName = _table, Key = Key(id), ReturnValues = ReturnValue.ALL_OLD };
        if (expected.Kind != ExpectedVersionKind.Any)
        {
            request.ExpressionAttributeNames = [];
            request.ExpressionAttributeValues = [];
            Condition(expected, id, request.ExpressionAttributeNames, request.ExpressionAttributeValues, c => request.ConditionExpression = c);
        }

        try
        {
            var response = await dynamo.DeleteItemAsync(request, cancellationToken).ConfigureAwait(false);
            return response.Attributes is { Count: > 0 };
        }
        catch (ConditionalCheckFailedException e)
        {
            throw new ConcurrencyConflictException($"The delete of '{_definition.Name}/{id}' expected {expected}, but the stored document differs. Read it again and retry.", e);
        }
    }

    public async Task<Page<Stored<T>>> QueryAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var size = request.PageSize;
        var items = new List<Stored<T>>(size + 1);
        Dictionary<string, AttributeValue>? start = DecodeToken(request.ContinuationToken);
        do
        {
            var response = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = _table,
                KeyConditionExpression = "#pk = :pk",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#pk"] = "pk" },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":pk"] = new() { S = _definition.Name } },
                ConsistentRead = true,
                Limit = size + 1 - items.Count,
                ExclusiveStartKey = start,
            }, cancellationToken).ConfigureAwait(false);
            items.AddRange((response.Items ?? []).Select(Read));
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null && items.Count <= size);

        if (items.Count <= size) return new Page<Stored<T>>(items, null);
        items.RemoveAt(items.Count - 1);
        return new Page<Stored<T>>(items, Convert.ToBase64String(Encoding.UTF8.GetBytes(items[^1].Id)));
    }

    private Dictionary<string, AttributeValue> Key(string id) => new()
    {
        ["pk"] = new AttributeValue { S = _definition.Name },
        ["id"] = new AttributeValue { S = id },
    };

    private Stored<T> Read(Dictionary<string, AttributeValue> item)
        => new(item["id"].S, JsonSerializer.Deserialize(item["doc"].S, _definition.TypeInfo)!, item["v"].N);

    private Dictionary<string, AttributeValue>? DecodeToken(string? token)
    {
        if (token is null) return null;
        try
        {
            return Key(Encoding.UTF8.GetString(Convert.FromBase64String(token)));
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The continuation token is not one this repository returned.", nameof(token), e);
        }
    }

    private void Condition(ExpectedVersion expected, string id, Dictionary<string, string> names, Dictionary<string, AttributeValue> values, Action<string> set)
    {
        switch (expected.Kind)
        {
            case ExpectedVersionKind.None:
                names["#id"] = "id";
                set("attribute_not_exists(#id)");
                break;
            case ExpectedVersionKind.Exactly:
                if (!long.TryParse(expected.Version, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                {
                    throw new ConcurrencyConflictException(_definition.Name, id, expected);
                }

                names["#v"] = "v";
                values[":expected"] = new AttributeValue { N = version.ToString(CultureInfo.InvariantCulture) };
                set("#v = :expected");
                break;
        }
    }
}
