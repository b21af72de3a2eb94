using Microsoft.Extensions.DependencyInjection;
using Portable.Contracts;
using Portable.Gcp.Firestore;

namespace Portable.Gcp.Tests.Contracts;

/// <summary>The repository contract on <see cref="FirestoreRepository{T}"/>, against the in-test Firestore REST server.</summary>
[ContractFor(typeof(FirestoreRepository<>))]
public sealed class FirestoreRepositoryContract : RepositoryContract
{
    private GoogleContractServices? _google;

    protected override async Task<IRepository<ContractDocument>> CreateRepositoryAsync(PortableApp app, string collection)
    {
        _google = await GoogleContractServices.StartAsync(app);
        return _google.Services.GetRequiredService<IRepository<ContractDocument>>();
    }

    protected override async Task DeleteRepositoryAsync()
    {
        if (_google is not null) await _google.DisposeAsync();
    }
}
