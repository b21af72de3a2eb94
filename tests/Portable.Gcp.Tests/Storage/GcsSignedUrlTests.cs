using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portable.Blobs;
using Portable.Contracts;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests.Storage;

/// <summary>Who signs Cloud Storage URLs: a service account key when one is configured, else the runtime's account through signBlob.</summary>
public sealed class GcsSignedUrlTests
{
    private const string BucketName = "signed";

    [Fact]
    public async Task SignedUrl_WithASigningKeyFile_IsSignedLocally_AndTheServerAcceptsIt()
    {
        await using var google = await GcsTestServices.StartAsync(ContractApp.Build(bucket: BucketName), signingKeyFile: TestServiceAccount.KeyFile);
        await google.Store(BucketName).PutAsync("k.txt", new MemoryStream("key-signed"u8.ToArray()), null, default);

        var url = await google.Store(BucketName).GetSignedUrlAsync("k.txt", new BlobSignedUrlOptions(), default);

        using var client = new HttpClient();
        Assert.Equal("key-signed", await client.GetStringAsync(url));
        Assert.Equal(0, google.Storage.SignBlobCalls);
        Assert.DoesNotContain(google.Storage.Requests, r => r.Contains("computeMetadata", StringComparison.Ordinal));
        Assert.Contains("X-Goog-Credential=" + Uri.EscapeDataString(google.Storage.Email + "/"), url.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedUrl_WithoutAKey_IsSignedBySignBlob_AsTheMetadataServersAccount_AskedOnce()
    {
        await using var google = await GcsTestServices.StartAsync(ContractApp.Build(bucket: BucketName));

        var first = await google.Store(BucketName).GetSignedUrlAsync("a.txt", new BlobSignedUrlOptions(), default);
        var second = await google.Store(BucketName).GetSignedUrlAsync("b.txt", new BlobSignedUrlOptions { Access = BlobAccess.Write }, default);

        Assert.Equal(2, google.Storage.SignBlobCalls);
        Assert.Single(google.Storage.Requests, r => r.EndsWith("/service-accounts/default/email", StringComparison.Ordinal));
        Assert.All(new[] { first, second }, url => Assert.Contains("X-Goog-Credential=" + Uri.EscapeDataString(google.Storage.Email + "/"), url.AbsoluteUri, StringComparison.Ordinal));
        Assert.StartsWith($"http://{google.Storage.HostAndPort}/{GcsTestServices.Physical(BucketName)}/a.txt?X-Goog-Algorithm=GOOG4-RSA-SHA256&", first.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedWriteUrl_WithAContentType_SignsIt_SoAnUploadOfAnotherTypeIsRefused403()
    {
        await using var google = await GcsTestServices.StartAsync(ContractApp.Build(bucket: BucketName));
        var url = await google.Store(BucketName).GetSignedUrlAsync("up.csv", new BlobSignedUrlOptions { Access = BlobAccess.Write, ContentType = "text/csv" }, default);

        using var client = new HttpClient();
        using var wrong = new ByteArrayContent(Encoding.UTF8.GetBytes("x"));
        wrong.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var refused = await client.PutAsync(url, wrong);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("X-Goog-SignedHeaders=content-type%3Bhost", url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Null(await google.Store(BucketName).GetPropertiesAsync("up.csv", default));
    }

    [Fact]
    public async Task SignedUrl_WithNoKeyAndNoMetadataServer_ThrowsAConfigurationErrorNamingTheSetting()
    {
        var app = ContractApp.Build(bucket: BucketName);
        await using var storage = await FakeCloudStorage.StartAsync();
        IServiceCollection services = new ServiceCollection();
        foreach (var descriptor in app.Services) services.Add(descriptor);
        GcpHost.AddGcpServices(services, app, new GcpSettings { ProjectId = "p", StorageEmulatorHost = storage.HostAndPort, MetadataHost = "127.0.0.1:9" });
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredKeyedService<IBlobStore>(BucketName);

        var failure = await Assert.ThrowsAsync<PortableConfigurationException>(() => store.GetSignedUrlAsync("x.txt", new BlobSignedUrlOptions(), default));

        Assert.Contains(GcpSettings.SigningKeyFileVariable, failure.Message, StringComparison.Ordinal);
    }
}
