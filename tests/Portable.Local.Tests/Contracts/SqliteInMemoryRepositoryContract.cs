using Portable.Contracts;
using Portable.Local.Storage;

namespace Portable.Local.Tests.Contracts;

/// <summary>The repository contract on <see cref="SqliteRepository{T}"/> over an in-memory database.</summary>
[ContractFor(typeof(SqliteRepository<>))]
public sealed class SqliteInMemoryRepositoryContract : RepositoryContract, IDisposable
{
    private readonly LocalStore _store = new(new LocalOptions { InMemory = true });

    protected override Task<IRepository<ContractDocument>> CreateRepositoryAsync(PortableApp app, string collection)
        => Task.FromResult<IRepository<ContractDocument>>(new SqliteRepository<ContractDocument>(app.Catalog, _store, TimeProvider.System));

    public void Dispose() => _store.Dispose();
}
