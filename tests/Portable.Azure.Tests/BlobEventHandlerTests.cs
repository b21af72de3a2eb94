using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portable.Blobs;

namespace Portable.Azure.Tests;

/// <summary>
/// Event Grid's <c>Microsoft.Storage.BlobCreated</c>/<c>BlobDeleted</c> through the custom handler on real Kestrel, invoking
/// <c>MapBlob</c> functions that read the blob back through their keyed <see cref="IBlobStore"/> from Azurite.
/// </summary>
public sealed class BlobEventHandlerTests : IAsyncLifetime
{
    public const string Bucket = "uploads-azure-tests";
    private readonly BlobsSeen _seen = new();
    private readonly LogCapture _logs = new();
    private RunningHandler _handler = null!;

    public async Task InitializeAsync()
        => _handler = await RunningHandler.StartAsync(b =>
        {
            b.Services.AddSingleton(_seen);
            b.Resources.AddBucket(Bucket);
            b.Functions.MapBlob<ReadsUpload>(Bucket, BlobEvents.Created, name: "OnUpload");
            b.Functions.MapBlob<NotesDeletion>(Bucket, BlobEvents.Deleted, name: "OnDelete");
        }, new Dictionary<string, string?> { ["AzureWebJobsStorage"] = Azurite.ConnectionString }, _logs);

    public async Task DisposeAsync() => await _handler.DisposeAsync();

    private IBlobStore Store => _handler.Web.Services.GetRequiredKeyedService<IBlobStore>(Bucket);

    private static string EventGridEvent(string type, string container, string name, string id, string? etag = null, long? size = null) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["topic"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/devstoreaccount1",
        ["subject"] = $"/blobServices/default/containers/{container}/blobs/{name}",
        ["eventType"] = type,
        ["id"] = id,
        ["eventTime"] = "2026-12-01T00:40:00.0000000Z",
        ["dataVersion"] = "",
        ["metadataVersion"] = "1",
        ["data"] = new Dictionary<string, object?>
        {
            ["api"] = type.EndsWith("Created", StringComparison.Ordinal) ? "PutBlob" : "DeleteBlob",
            ["eTag"] = etag,
            ["contentType"] = "text/csv",
            ["contentLength"] = size,
            ["blobType"] = "BlockBlob",
            ["url"] = $"http://127.0.0.1/devstoreaccount1/{container}/{name}",
        },
    });

    [Fact]
    public async Task EventGridBlobCreated_ThroughTheHandler_InvokesTheMapBlobFunction_WhichReadsTheBlobFromItsBucket()
    {
        var name = $"imports/{Guid.NewGuid():N}.csv";
        var stored = await Store.PutAsync(name, new MemoryStream(Encoding.UTF8.GetBytes("customerId,sku\nc-1,s-1\n")), new BlobPutOptions { ContentType = "text/csv" }, default);

        using var response = await _handler.InvokeAsync("OnUpload",
            Vectors.EventPayload(EventGridEvent("Microsoft.Storage.BlobCreated", Bucket, name, "ev-1", "\"" + stored.ETag + "\"", stored.Size)), "inv-blob-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (blobEvent, content) = Assert.Single(_seen.Created);
        Assert.Equal(new BlobEvent(Bucket, name, BlobEvents.Created, DateTimeOffset.Parse("2026-12-01T00:40:00Z"), "ev-1")
        {
            Size = stored.Size, ContentType = "text/csv", ETag = stored.ETag,
        }, blobEvent);
        Assert.Equal("customerId,sku\nc-1,s-1\n", content);
    }

    [Theory]
    [InlineData(Vectors.EventGridBlobCreated)]
    [InlineData(Vectors.CloudEventsBlobCreated)]
    public async Task PublishedBlobCreatedSamples_InBothSchemas_AreReadAsTheSameBlobEvent(string vector)
    {
        var cloudEvent = Portable.Azure.Bindings.PayloadReader.ReadEvent(Vectors.Json(vector));

        var blobEvent = Portable.Azure.Bindings.StorageBlobEvent.FromEventGrid(cloudEvent);

        Assert.NotNull(blobEvent);
        Assert.Equal(("gaocontainer", "Template1.xlsx", BlobEvents.Created), (blobEvent.Bucket, blobEvent.Name, blobEvent.Type));
        Assert.Equal((17555L, "0x8D96060BDA19D9D"), (blobEvent.Size, blobEvent.ETag));
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", blobEvent.ContentType);
        Assert.Equal("beb21a5e-401e-002b-3749-928517060431", blobEvent.Id);
    }

    [Fact]
    public async Task BlobDeleted_ReachesTheDeletedFunction_AndTheCreatedFunctionSkipsIt()
    {
        var deleted = EventGridEvent("Microsoft.Storage.BlobDeleted", Bucket, "gone.csv", "ev-del");

        using var skipped = await _handler.InvokeAsync("OnUpload", Vectors.EventPayload(deleted), "inv-skip");
        using var handled = await _handler.InvokeAsync("OnDelete", Vectors.EventPayload(deleted), "inv-del");

        Assert.Equal(HttpStatusCode.OK, skipped.StatusCode);
        Assert.Equal(HttpStatusCode.OK, handled.StatusCode);
        Assert.Empty(_seen.Created);
        Assert.Equal("gone.csv", Assert.Single(_seen.Deleted).Name);
        Assert.Contains(_logs.Lines, l => l.Message.Contains("OnUpload skipped event ev-del", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEventForAnotherContainer_IsSkippedWithALogLine_NotRetried()
    {
        using var response = await _handler.InvokeAsync("OnUpload", Vectors.EventPayload(EventGridEvent("Microsoft.Storage.BlobCreated", "elsewhere", "a.csv", "ev-other")), "inv-other");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_seen.Created);
        Assert.Contains(_logs.Lines, l => l.Message.Contains("container 'elsewhere'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStorageEventThatNamesNoBlob_IsRefusedWith400_AndTheHandlerKeepsServing()
    {
        const string Broken = """{"id":"ev-bad","subject":"/blobServices/default","eventType":"Microsoft.Storage.BlobCreated","eventTime":"2026-12-01T00:00:00Z","data":{}}""";

        using var refused = await _handler.InvokeAsync("OnUpload", Vectors.EventPayload(Broken), "inv-bad");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("names no blob", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(_logs.Lines, l => l.Message.Contains("names no blob", StringComparison.Ordinal));
        using var next = await _handler.InvokeAsync("OnDelete", Vectors.EventPayload(EventGridEvent("Microsoft.Storage.BlobDeleted", Bucket, "x", "ev-next")), "inv-next");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task TheClassicBlobTrigger_ReachesAMapBlobFunction_AsACreation()
    {
        var payload = Vectors.Authored("request.blob-trigger.json").Replace("samples-in", Bucket, StringComparison.Ordinal);
        var name = "a.json";
        await Store.PutAsync(name, new MemoryStream("""{"x":1}"""u8.ToArray()), null, default);

        using var response = await _handler.InvokeAsync("OnUpload", payload, "inv-classic");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (blobEvent, content) = Assert.Single(_seen.Created);
        Assert.Equal((Bucket, "a.json", "0x8DDEXAMPLE0000", 7L), (blobEvent.Bucket, blobEvent.Name, blobEvent.ETag, blobEvent.Size));
        Assert.Equal("5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c", blobEvent.Id);
        Assert.Equal("""{"x":1}""", content);
    }

    public sealed class BlobsSeen
    {
        public ConcurrentQueue<(BlobEvent Event, string Content)> Created { get; } = new();

        public ConcurrentQueue<BlobEvent> Deleted { get; } = new();
    }

    public sealed class ReadsUpload([FromKeyedServices(Bucket)] IBlobStore store, BlobsSeen seen) : IBlobHandler
    {
        public async Task HandleAsync(BlobEvent blobEvent, FunctionContext context, CancellationToken cancellationToken)
        {
            await using var download = await store.GetAsync(blobEvent.Name, null, cancellationToken)
                ?? throw new InvalidOperationException($"{blobEvent.Name} is not in {store.Bucket}");
            seen.Created.Enqueue((blobEvent, await new StreamReader(download.Content).ReadToEndAsync(cancellationToken)));
        }
    }

    public sealed class NotesDeletion(BlobsSeen seen) : IBlobHandler
    {
        public Task HandleAsync(BlobEvent blobEvent, FunctionContext context, CancellationToken cancellationToken)
        {
            seen.Deleted.Enqueue(blobEvent);
            return Task.CompletedTask;
        }
    }
}
