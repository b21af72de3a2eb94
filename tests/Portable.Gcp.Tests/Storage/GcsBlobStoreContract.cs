using Portable.Blobs;
using Portable.Contracts;
using Portable.Gcp.Storage;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests.Storage;

/// <summary>
/// The blob store contract on <see cref="GcsBlobStore"/>, through the adapter's own registration (the keyed store of the declared
/// bucket), against the in-test Cloud Storage (<see cref="FakeCloudStorage"/>), which checks V4 signatures with the test service
/// account's public key. URLs are signed the way they are on Cloud Run: the account's email from the metadata server and the
/// signature from the IAM Credentials API's signBlob (both played by the fake). Real Cloud Storage is not reached here.
/// </summary>
[ContractFor(typeof(GcsBlobStore))]
[Collection(MemoryCollection)]
public sealed class GcsBlobStoreContract : BlobStoreContract
{
    private GcsTestServices? _google;

    protected override async Task<IBlobStore> CreateStoreAsync(PortableApp app, string bucket)
    {
        _google = await GcsTestServices.StartAsync(app);
        return Assert.IsType<GcsBlobStore>(_google.Store(bucket));
    }

    protected override async Task DeleteStoreAsync()
    {
        if (_google is not null) await _google.DisposeAsync();
    }
}

/// <summary>The blob store contract measures the whole process's memory: nothing runs beside it.</summary>
[CollectionDefinition(BlobStoreContract.MemoryCollection, DisableParallelization = true)]
public sealed class BlobStoreCollection;
