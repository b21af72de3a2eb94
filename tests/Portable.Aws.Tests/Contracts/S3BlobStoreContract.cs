using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portable.Aws.Data;
using Portable.Aws.Tests.Fixtures;
using Portable.Blobs;
using Portable.Contracts;

namespace Portable.Aws.Tests.Contracts;

/// <summary>
/// The blob store contract on <see cref="S3BlobStore"/> against fauxqs's S3 (AWS_ENDPOINT_URL_S3, path-style), through the
/// adapter's own registration (the keyed store of the declared bucket). The store talks to fauxqs through
/// <see cref="S3ConditionalFront"/>, which enforces S3's documented conditional writes and deletes that fauxqs ignores; real
/// S3's enforcement is not verified here (the requests our client sends are checked in <c>S3ConditionalRequestTests</c>). fauxqs serves pre-signed URLs without checking their
/// signatures, so the signatures are proved with AWS's published example instead (<c>S3PresignTests</c>).
/// </summary>
[ContractFor(typeof(S3BlobStore))]
[Collection(MemoryCollection)]
public sealed class S3BlobStoreContract : BlobStoreContract
{
    private ServiceProvider? _services;
    private S3ConditionalFront? _front;

    protected override bool ServerChecksSignatures => false;

    // fauxqs sorts keys with the locale (a.txt before A.txt); S3 lists them in UTF-8 byte order.
    protected override bool ServerListsInOrdinalOrder => false;

    protected override async Task<IBlobStore> CreateStoreAsync(PortableApp app, string bucket)
    {
        var endpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3");
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            throw new InvalidOperationException("AWS_ENDPOINT_URL_S3 is not set, so fauxqs is not running for this test. Run tests/emulators/start.sh and source tests/emulators/.env, or run ./test.sh.");
        }

        _front = await S3ConditionalFront.StartAsync(new Uri(endpoint));
        var front = _front.Endpoint;
        _services = AwsHost.BuildServices(app, TextWriter.Null, name => name == "AWS_ENDPOINT_URL_S3" ? front : Environment.GetEnvironmentVariable(name));
        var connection = _services.GetRequiredService<AwsConnection>();
        using (await connection.S3.SendAsync("CreateBucket", HttpMethod.Put, bucket, null, [], [], null, null, null, HttpCompletionOption.ResponseContentRead, default))
        {
        }

        return Assert.IsType<S3BlobStore>(_services.GetRequiredKeyedService<IBlobStore>(bucket));
    }

    protected override async Task DeleteStoreAsync()
    {
        if (_services is not null) await _services.DisposeAsync();
        if (_front is not null) await _front.DisposeAsync();
    }
}
