using Portable.Azure.Data;
using Portable.Contracts;

namespace Portable.Azure.Tests.Contracts;

/// <summary>The lost-answer contract on <see cref="TableRepository{T}"/>, against Azurite: writes are the entity inserts, merges and deletes.</summary>
[ContractFor(typeof(TableRepository<>))]
public sealed class TableRepositoryRetryContract : RepositoryRetryContract
{
    protected override Task<IRepository<ContractDocument>> CreateRepositoryAsync(PortableApp app, string collection, HttpMessageHandler handler)
        => Task.FromResult<IRepository<ContractDocument>>(
            new TableRepository<ContractDocument>(app.Catalog, new AzureStorageClients(Azurite.Configuration(), new AzureOptions(), new HttpClient(handler))));

    protected override bool IsWrite(HttpRequestMessage request)
        => request.Method != HttpMethod.Get && !request.RequestUri!.AbsolutePath.EndsWith("/Tables", StringComparison.Ordinal);
}
