using Portable.Azure.Data;
using Portable.Contracts;

namespace Portable.Azure.Tests.Contracts;

/// <summary>The repository contract on <see cref="TableRepository{T}"/>, against Azurite's Table service.</summary>
[ContractFor(typeof(TableRepository<>))]
public sealed class TableRepositoryContract : RepositoryContract
{
    protected override Task<IRepository<ContractDocument>> CreateRepositoryAsync(PortableApp app, string collection)
        => Task.FromResult<IRepository<ContractDocument>>(new TableRepository<ContractDocument>(app.Catalog, Azurite.Clients()));
}
