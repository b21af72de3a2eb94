using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Portable.Blobs;
using Portable.Contracts;
using Portable.Local.Blobs;

namespace Portable.Local.Tests.Contracts;

/// <summary>
/// The blob store contract on <see cref="LocalBlobStore"/>, on a local host started with real Kestrel on a free loopback port (in
/// memory: a temporary folder deleted at stop), so that signed URLs are fetched from the host that checks them.
/// </summary>
[ContractFor(typeof(LocalBlobStore))]
[Collection(BlobStoreContract.MemoryCollection)]
public sealed class LocalBlobStoreContract : BlobStoreContract
{
    private WebApplication? _host;

    protected override async Task<IBlobStore> CreateStoreAsync(PortableApp app, string bucket)
    {
        _host = LocalHost.Build(app, configureOptions: o =>
        {
            o.Port = 0;
            o.InMemory = true;
            o.RunSchedules = false;
        });
        await _host.StartAsync();
        return _host.Services.GetRequiredKeyedService<IBlobStore>(bucket);
    }

    protected override async Task DeleteStoreAsync()
    {
        if (_host is null) return;
        await _host.StopAsync();
        await _host.DisposeAsync();
    }
}

/// <summary>The blob contract's memory test measures the whole process: nothing runs beside it.</summary>
[CollectionDefinition(BlobStoreContract.MemoryCollection, DisableParallelization = true)]
public sealed class BlobStoreCollection;
