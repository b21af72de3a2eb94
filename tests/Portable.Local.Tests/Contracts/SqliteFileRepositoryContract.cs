using Portable.Contracts;
using Portable.Local.Storage;

namespace Portable.Local.Tests.Contracts;

/// <summary>The repository contract on <see cref="SqliteRepository{T}"/> over a database file (WAL), as the local host runs by default.</summary>
[ContractFor(typeof(SqliteRepository<>))]
public sealed class SqliteFileRepositoryContract : RepositoryContract
{
    private readonly string _folder = Directory.CreateTempSubdirectory("portable-contract-").FullName;
    private LocalStore? _store;

    protected override Task<IRepository<ContractDocument>> CreateRepositoryAsync(PortableApp app, string collection)
    {
        _store = new LocalStore(new LocalOptions { DataDirectory = _folder });
        return Task.FromResult<IRepository<ContractDocument>>(new SqliteRepository<ContractDocument>(app.Catalog, _store, TimeProvider.System));
    }

    protected override Task DeleteRepositoryAsync()
    {
        _store?.Dispose();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
