using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portable.Blobs;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>
/// Cloud Storage object events on the GCP host (real Kestrel): Eventarc CloudEvents in binary and structured mode and the legacy
/// GCS event, from Google's conformance vectors, reach a <c>MapBlob</c> function as the same portable <see cref="BlobEvent"/>.
/// </summary>
public sealed class StorageEventTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<BlobEvent> _seen = new();
    private FakeGoogleApis _google = null!;

    public async Task InitializeAsync() => _google = await FakeGoogleApis.StartAsync();

    public async Task DisposeAsync() => await _google.DisposeAsync();

    private Task<GcpAppHost> StartAsync(string bucket, BlobEvents events = BlobEvents.Created)
        => GcpAppHost.StartAsync(b =>
        {
            b.Services.AddSingleton(_seen);
            b.Functions.MapBlob<Records>(bucket, events, name: "OnObject");
        }, "OnObject", _google);

    private static string Vector(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "conformance", name));

    private static HttpRequestMessage Binary(string cloudEventJson)
    {
        using var document = System.Text.Json.JsonDocument.Parse(cloudEventJson);
        var root = document.RootElement;
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(root.GetProperty("data").GetRawText(), Encoding.UTF8, "application/json") };
        foreach (var attribute in new[] { "specversion", "type", "source", "subject", "id", "time" })
        {
            request.Headers.Add("ce-" + attribute, root.GetProperty(attribute).GetString());
        }

        return request;
    }

    private static BlobEvent Expected(string bucket) => new(bucket, "folder/Test.cs", BlobEvents.Created, DateTimeOffset.Parse("2020-09-29T11:32:00.123Z"), "aaaaaa-1111-bbbb-2222-cccccccccccc")
    {
        Size = 352, ContentType = "text/plain", ETag = "1587627537231057",
    };

    [Fact]
    public async Task EventarcFinalizedCloudEvent_InBinaryMode_InvokesTheMapBlobFunction_WithThePortableEvent()
    {
        await using var host = await StartAsync("some-bucket");

        using var response = await host.Client.SendAsync(Binary(Vector("storage-cloudevent-input.json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Expected("some-bucket"), Assert.Single(_seen));
    }

    [Fact]
    public async Task StructuredCloudEvent_AndLegacyFinalizeEvent_GiveTheSameEvent()
    {
        await using var host = await StartAsync("some-bucket");

        using var structured = await host.Client.PostAsync("/", new StringContent(Vector("storage-cloudevent-input.json"), Encoding.UTF8, "application/cloudevents+json"));
        using var legacy = await host.Client.PostAsync("/", new StringContent(Vector("storage-legacy-input.json"), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, structured.StatusCode);
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.Equal([Expected("some-bucket"), Expected("some-bucket")], _seen);
    }

    [Fact]
    public async Task ThePhysicalBucketOfTheDeployment_ProjectDashBucket_MapsBackToTheDeclaredName()
    {
        await using var host = await StartAsync("bucket");

        using var response = await host.Client.SendAsync(Binary(Vector("storage-cloudevent-input.json"))); // physical "some-bucket"

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Expected("bucket"), Assert.Single(_seen));
    }

    [Fact]
    public async Task ABucketRenamedWithPortableBucketVariable_ReceivesTheEventsOfThatPhysicalBucket()
    {
        await using var host = await GcpAppHost.StartAsync(b =>
        {
            b.Services.AddSingleton(_seen);
            b.Functions.MapBlob<Records>("imports", BlobEvents.Created, name: "OnObject");
        }, "OnObject", _google, bucketOverride: bucket => bucket == "imports" ? "some-bucket" : null);

        using var response = await host.Client.SendAsync(Binary(Vector("storage-cloudevent-input.json"))); // physical "some-bucket"

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Expected("imports"), Assert.Single(_seen));
    }

    [Fact]
    public async Task AnEventOfAnotherBucketOrChange_IsSkipped_AndAnswered200SoItIsNotRetried()
    {
        await using var other = await StartAsync("imports");
        using var wrongBucket = await other.Client.SendAsync(Binary(Vector("storage-cloudevent-input.json")));
        await using var deletes = await StartAsync("some-bucket", BlobEvents.Deleted);
        using var wrongChange = await deletes.Client.SendAsync(Binary(Vector("storage-cloudevent-input.json")));

        Assert.Equal(HttpStatusCode.OK, wrongBucket.StatusCode);
        Assert.Equal(HttpStatusCode.OK, wrongChange.StatusCode);
        Assert.Empty(_seen);
    }

    [Fact]
    public async Task AStorageEventThatNamesNoObject_IsRefused400_AndTheHostKeepsServing()
    {
        await using var host = await StartAsync("some-bucket");
        var broken = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        broken.Headers.Add("ce-specversion", "1.0");
        broken.Headers.Add("ce-type", "google.cloud.storage.object.v1.finalized");
        broken.Headers.Add("ce-source", "//storage.googleapis.com/projects/_");
        broken.Headers.Add("ce-id", "bad-1");

        using var refused = await host.Client.SendAsync(broken);
        using var next = await host.Client.SendAsync(Binary(Vector("storage-cloudevent-input.json")));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("names no object", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Single(_seen);
    }

    public sealed class Records(ConcurrentQueue<BlobEvent> seen) : IBlobHandler
    {
        public Task HandleAsync(BlobEvent blobEvent, FunctionContext context, CancellationToken cancellationToken)
        {
            seen.Enqueue(blobEvent);
            return Task.CompletedTask;
        }
    }
}
