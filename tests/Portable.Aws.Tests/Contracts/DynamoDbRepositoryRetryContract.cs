using Microsoft.Extensions.DependencyInjection;
using Portable.Aws.Data;
using Portable.Aws.Tests.Fixtures;
using Portable.Contracts;

namespace Portable.Aws.Tests.Contracts;

/// <summary>The lost-answer contract on <see cref="DynamoDbRepository{T}"/>, against DynamoDB Local: the answers of <c>UpdateItem</c> and <c>DeleteItem</c> are lost.</summary>
[ContractFor(typeof(DynamoDbRepository<>))]
public sealed class DynamoDbRepositoryRetryContract : RepositoryRetryContract
{
    private ServiceProvider? _services;

    protected override async Task<IRepository<ContractDocument>> CreateRepositoryAsync(PortableApp app, string collection, HttpMessageHandler handler)
    {
        _services = AwsEmulators.Services(app, handler);
        await AwsEmulators.CreateTableAsync(AwsEmulators.Dynamo, collection);
        return _services.GetRequiredService<IRepository<ContractDocument>>();
    }

    protected override bool IsWrite(HttpRequestMessage request)
        => request.Headers.TryGetValues("X-Amz-Target", out var targets)
            && targets.First() is "DynamoDB_20120810.UpdateItem" or "DynamoDB_20120810.DeleteItem" or "DynamoDB_20120810.PutItem";

    protected override async Task DeleteRepositoryAsync()
    {
        await AwsEmulators.Dynamo.DeleteTableAsync(Collection);
        if (_services is not null) await _services.DisposeAsync();
    }
}
