using Microsoft.Extensions.DependencyInjection;
using Portable.Blobs;
using Portable.Gcp.Storage;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests.Storage;

/// <summary>The GCP host gives a function its declared bucket as a Cloud Storage store, made only when something asks for it.</summary>
public sealed class GcsHostRegistrationTests
{
    [Fact]
    public async Task GcpHost_GivesAFunctionItsKeyedBucket_AsAGcsBlobStore_WritingToTheDeployedBucket()
    {
        await using var google = await FakeGoogleApis.StartAsync();
        await using var storage = await FakeCloudStorage.StartAsync();
        await using var host = await StartAsync(google, storage);

        using var response = await host.Client.PostAsync("/receipts", null);

        Assert.Equal("GcsBlobStore receipts", await response.Content.ReadAsStringAsync());
        Assert.NotNull(storage.Generation("test-project-receipts", "r-1.txt"));
        Assert.IsType<GcsBlobStore>(host.Services.GetRequiredKeyedService<IBlobStore>("receipts"));
    }

    [Fact]
    public async Task GcpHost_ResolvingTheStore_SendsNothing_UntilTheStoreIsUsed()
    {
        await using var google = await FakeGoogleApis.StartAsync();
        await using var storage = await FakeCloudStorage.StartAsync();
        await using var host = await StartAsync(google, storage);

        var store = host.Services.GetRequiredKeyedService<IBlobStore>("receipts");

        Assert.Equal("receipts", store.Bucket);
        Assert.Empty(storage.Requests);
        Assert.Empty(google.Requests);
    }

    /// <summary>An app with bucket <c>receipts</c> and one function using it, on the GCP host, its bucket in the in-test Cloud Storage.</summary>
    private static Task<GcpAppHost> StartAsync(FakeGoogleApis google, FakeCloudStorage storage) => GcpAppHost.StartAsync(builder =>
    {
        builder.Resources.AddBucket("receipts");
        builder.Functions.MapHttp<WriteReceipt>("POST /receipts", "WriteReceipt");
    }, "WriteReceipt", google, storage: storage);

    /// <summary>Writes a receipt to its bucket and says which store it was given.</summary>
    public sealed class WriteReceipt([FromKeyedServices("receipts")] IBlobStore receipts) : IHttpFunction
    {
        public async Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        {
            await receipts.PutAsync("r-1.txt", new MemoryStream("receipt"u8.ToArray()), new BlobPutOptions { ContentType = "text/plain" }, cancellationToken);
            return HttpResponseData.Text(200, $"{receipts.GetType().Name} {receipts.Bucket}");
        }
    }
}
