using Microsoft.Extensions.DependencyInjection;
using Portable.Aws.Data;
using Portable.Aws.Tests.Fixtures;
using Portable.Contracts;

namespace Portable.Aws.Tests.Contracts;

/// <summary>The repository contract on <see cref="DynamoDbRepository{T}"/>, against DynamoDB Local, over a fresh table.</summary>
[ContractFor(typeof(DynamoDbRepository<>))]
public sealed class DynamoDbRepositoryContract : RepositoryContract
{
    private ServiceProvider? _services;

    /// <summary>A <c>Scan</c> pages in the table's hash order, not by id.</summary>
    protected override bool OrdersById => false;

    protected override async Task<IRepository<ContractDocument>> CreateRepositoryAsync(PortableApp app, string collection)
    {
        _services = AwsEmulators.Services(app);
        await AwsEmulators.CreateTableAsync(AwsEmulators.Dynamo, collection);
        return _services.GetRequiredService<IRepository<ContractDocument>>();
    }

    protected override async Task DeleteRepositoryAsync()
    {
        await AwsEmulators.Dynamo.DeleteTableAsync(Collection);
        if (_services is not null) await _services.DisposeAsync();
    }
}
