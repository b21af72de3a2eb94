using Microsoft.Extensions.DependencyInjection;
using Portable.Contracts;
using Portable.Gcp.Firestore;

namespace Portable.Gcp.Tests.Contracts;

/// <summary>The lost-answer contract on <see cref="FirestoreRepository{T}"/>, against the in-test Firestore REST server: the answers of <c>PATCH</c> and <c>DELETE</c> are lost.</summary>
[ContractFor(typeof(FirestoreRepository<>))]
public sealed class FirestoreRepositoryRetryContract : RepositoryRetryContract
{
    private GoogleContractServices? _google;

    protected override async Task<IRepository<ContractDocument>> CreateRepositoryAsync(PortableApp app, string collection, HttpMessageHandler handler)
    {
        _google = await GoogleContractServices.StartAsync(app, handler);
        return _google.Services.GetRequiredService<IRepository<ContractDocument>>();
    }

    protected override bool IsWrite(HttpRequestMessage request) => request.Method == HttpMethod.Patch || request.Method == HttpMethod.Delete;

    protected override async Task DeleteRepositoryAsync()
    {
        if (_google is not null) await _google.DisposeAsync();
    }
}
