using Portable.Azure.Data;
using Portable.Blobs;
using Portable.Contracts;

namespace Portable.Azure.Tests.Contracts;

/// <summary>The blob-store contract on <see cref="AzureBlobStore"/>, against Azurite's Blob service (which checks SAS signatures).</summary>
[ContractFor(typeof(AzureBlobStore))]
[Collection(MemoryCollection)]
public sealed class AzureBlobStoreContract : BlobStoreContract
{
    protected override Task<IBlobStore> CreateStoreAsync(PortableApp app, string bucket)
        => Task.FromResult<IBlobStore>(new AzureBlobStore(bucket, Azurite.Clients()));

    /// <summary>
    /// A plain client that sends <c>x-ms-blob-type: BlockBlob</c> on uploads, as any browser upload to Blob Storage must (Put Blob
    /// requires it); the contract adds it itself only for Azure's host names and port 10000, and the test run's Azurite is on a free port.
    /// </summary>
    protected override HttpClient CreateAnonymousClient() => new(new BlockBlobUploads { InnerHandler = new HttpClientHandler() });

    private sealed class BlockBlobUploads : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Put && !request.Headers.Contains("x-ms-blob-type")) request.Headers.Add("x-ms-blob-type", "BlockBlob");
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>The contract's memory bound is measured on the whole process: nothing else runs beside it.</summary>
[CollectionDefinition(BlobStoreContract.MemoryCollection, DisableParallelization = true)]
public sealed class BlobStoreCollection;
