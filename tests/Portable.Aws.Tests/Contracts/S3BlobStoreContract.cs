using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portable.Aws.Data;
using Portable.Blobs;
using Portable.Contracts;

namespace Portable.Aws.Tests.Contracts;

/// <summary>
/// The blob store contract on <see cref="S3BlobStore"/> against fauxqs's S3 (AWS_ENDPOINT_URL_S3, path-style), through the
/// adapter's own registration (the keyed store of the declared bucket). fauxqs serves pre-signed URLs without checking their
/// signatures, so the signatures are proved with AWS's published example instead (<c>S3PresignTests</c>).
/// </summary>
[ContractFor(typeof(S3BlobStore))]
[Collection(MemoryCollection)]
public sealed class S3BlobStoreContract : BlobStoreContract
{
    private ServiceProvider? _services;

    protected override bool ServerChecksSignatures => false;

    protected override async Task<IBlobStore> CreateStoreAsync(PortableApp app, string bucket)
    {
        var endpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3");
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            throw new InvalidOperationException("AWS_ENDPOINT_URL_S3 is not set, so fauxqs is not running for this test. Run tests/emulators/start.sh and source tests/emulators/.env, or run ./test.sh.");
        }

        _services = AwsHost.BuildServices(app, TextWriter.Null, Environment.GetEnvironmentVariable);
        var connection = _services.GetRequiredService<AwsConnection>();
        using (await connection.S3.SendAsync("CreateBucket", HttpMethod.Put, bucket, null, [], [], null, null, null, HttpCompletionOption.ResponseContentRead, default))
        {
        }

        return Assert.IsType<S3BlobStore>(_services.GetRequiredKeyedService<IBlobStore>(bucket));
    }

    protected override async Task DeleteStoreAsync()
    {
        if (_services is not null) await _services.DisposeAsync();
    }
}
