using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Portable.Blobs;
using Portable.Local.Blobs;
using Portable.Local.Queues;

namespace Portable.Local.Tests;

/// <summary>What the blob functions of <see cref="LocalBlobTests"/> saw.</summary>
public sealed class BlobProbe
{
    public ConcurrentQueue<(BlobEvent Event, int Attempt)> Events { get; } = new();
}

/// <summary>Records every event; an object whose name starts with <c>fail</c> always fails.</summary>
public sealed class RecordBlob(BlobProbe probe) : IBlobHandler
{
    public Task HandleAsync(BlobEvent blobEvent, FunctionContext context, CancellationToken cancellationToken)
    {
        probe.Events.Enqueue((blobEvent, context.DeliveryAttempt));
        return blobEvent.Name.StartsWith("fail", StringComparison.Ordinal) ? throw new InvalidOperationException("fails on purpose") : Task.CompletedTask;
    }
}

/// <summary>The local buckets beyond the contract: the blob trigger, the admin API's limits and checks, and the file layout.</summary>
public sealed class LocalBlobTests
{
    [Fact]
    public async Task AdminPut_FiresTheBucketsBlobFunction_WithTheObjectsETagSizeAndContentType()
    {
        await using var host = await BlobHost.StartAsync();

        using var content = new StringContent("a,b\n1,2\n", Encoding.UTF8, "text/csv");
        using var put = await host.Client.PutAsync("/_portable/buckets/uploads/objects/in/file%20one.csv", content);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var etag = put.Headers.ETag!.Tag.Trim('"');
        await host.WaitUntilAsync(() => !host.Probe.Events.IsEmpty);
        var (blobEvent, attempt) = Assert.Single(host.Probe.Events);
        Assert.Equal(("uploads", "in/file one.csv", BlobEvents.Created, 8L, etag, 1), (blobEvent.Bucket, blobEvent.Name, blobEvent.Type, blobEvent.Size, blobEvent.ETag, attempt));
        Assert.Equal("text/csv; charset=utf-8", blobEvent.ContentType);
        Assert.False(string.IsNullOrEmpty(blobEvent.Id));
    }

    [Fact]
    public async Task StoreWritesAndDeletes_EachFireOneEvent_WithItsOwnId()
    {
        await using var host = await BlobHost.StartAsync();
        var store = host.Web.Services.GetRequiredKeyedService<IBlobStore>("uploads");

        await store.PutAsync("a.txt", new MemoryStream("one"u8.ToArray()), null, default);
        await store.PutAsync("a.txt", new MemoryStream("two"u8.ToArray()), null, default);
        Assert.True(await store.DeleteAsync("a.txt", ExpectedVersion.Any, default));

        await host.WaitUntilAsync(() => host.Probe.Events.Count == 3);
        var events = host.Probe.Events.Select(e => e.Event).ToList();
        Assert.Equal(2, events.Count(e => e.Type == BlobEvents.Created));
        Assert.Single(events, e => e.Type == BlobEvents.Deleted);
        Assert.Equal(3, events.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task FailingBlobFunction_IsRetried_ThenDeadLettered()
    {
        await using var host = await BlobHost.StartAsync(o => o.MaxDeliveryAttempts = 3);
        var store = host.Web.Services.GetRequiredKeyedService<IBlobStore>("uploads");

        await store.PutAsync("fail.txt", new MemoryStream("x"u8.ToArray()), null, default);

        var queues = host.Web.Services.GetRequiredService<LocalQueues>();
        await host.WaitUntilAsync(() => queues.DeadLetters().Count == 1);
        Assert.Equal([1, 2, 3], host.Probe.Events.Select(e => e.Attempt).Order());
        Assert.StartsWith("blob:uploads:", Assert.Single(queues.DeadLetters()).Queue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminPut_LargerThanMaxRequestBodyBytes_IsStored_ButOverMaxObjectUploadBytes_Answers413AndStoresNothing()
    {
        await using var host = await BlobHost.StartAsync(o =>
        {
            o.MaxRequestBodyBytes = 1024;
            o.MaxObjectUploadBytes = 64 * 1024;
        });

        using var fits = await host.Client.PutAsync("/_portable/buckets/uploads/objects/fits.bin", new ByteArrayContent(new byte[32 * 1024]));
        using var chunked = new StreamContent(new MemoryStream(new byte[100 * 1024])); // no Content-Length: counted while streamed
        using var tooLarge = await host.Client.PutAsync("/_portable/buckets/uploads/objects/large.bin", chunked);

        Assert.Equal(HttpStatusCode.Created, fits.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        var store = host.Web.Services.GetRequiredKeyedService<IBlobStore>("uploads");
        Assert.Equal(32 * 1024, (await store.GetPropertiesAsync("fits.bin", default))!.Size);
        Assert.Null(await store.GetPropertiesAsync("large.bin", default));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(host.Web.Services.GetRequiredService<LocalBlobStorage>().Root, "uploads", BlobPaths.TempFolder)));
    }

    [Fact]
    public async Task AdminGet_WithARange_Answers206WithThoseBytes_AndUnknownBucketAnswers404()
    {
        await using var host = await BlobHost.StartAsync();
        using var put = await host.Client.PutAsync("/_portable/buckets/uploads/objects/r.txt", new StringContent("0123456789"));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/_portable/buckets/uploads/objects/r.txt");
        request.Headers.Range = new RangeHeaderValue(2, 4);
        using var partial = await host.Client.SendAsync(request);
        using var unknown = await host.Client.GetAsync("/_portable/buckets/nope/objects/r.txt");

        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("234", await partial.Content.ReadAsStringAsync());
        Assert.Equal("bytes 2-4/10", partial.Content.Headers.ContentRange!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task SignedWriteUrl_WithAnotherContentType_OrUsedToRead_Answers403()
    {
        await using var host = await BlobHost.StartAsync();
        var store = host.Web.Services.GetRequiredKeyedService<IBlobStore>("uploads");
        var url = await store.GetSignedUrlAsync("up.csv", new BlobSignedUrlOptions { Access = BlobAccess.Write, ContentType = "text/csv" }, default);

        using var client = new HttpClient();
        using var wrongType = await client.PutAsync(url, new StringContent("x", Encoding.UTF8, "text/plain"));
        using var read = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.Forbidden, wrongType.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Contains("Content-Type", await wrongType.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await store.GetPropertiesAsync("up.csv", default));
    }

    [Fact]
    public async Task FileData_ObjectsAndTheSigningKey_SurviveARestart()
    {
        var data = Directory.CreateTempSubdirectory("portable-blobs-").FullName;
        try
        {
            Uri url;
            await using (var first = await BlobHost.StartAsync(o => { o.InMemory = false; o.DataDirectory = data; }))
            {
                var store = first.Web.Services.GetRequiredKeyedService<IBlobStore>("uploads");
                await store.PutAsync("kept.txt", new MemoryStream("kept"u8.ToArray()), null, default);
                url = await store.GetSignedUrlAsync("kept.txt", new BlobSignedUrlOptions(), default);
            }

            await using var second = await BlobHost.StartAsync(o => { o.InMemory = false; o.DataDirectory = data; });
            using var response = await second.Client.GetAsync(url.PathAndQuery);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("kept", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("a", "a~")]
    [InlineData("a/b", "a/b~")]
    [InlineData("../x", "%2E%2E/x~")]
    [InlineData("dir/..../%2F~", "dir/..../%252F%7E~")]
    [InlineData("é?", "%C3%A9%3F~")]
    public void ObjectNames_MapToPathsInsideTheBucketFolder_AndFilesEndInTilde(string name, string expected)
    {
        var path = BlobPaths.RelativePath(name);

        Assert.Equal(expected, path);
        var root = Path.GetFullPath("/tmp/bucket");
        Assert.StartsWith(root + "/", Path.GetFullPath(Path.Combine(root, path)), StringComparison.Ordinal);
        Assert.EndsWith("~", path, StringComparison.Ordinal);
    }

    /// <summary>The blob tests' app (bucket <c>uploads</c>, one blob function recording what it is given) on a <see cref="RunningHost"/>.</summary>
    private sealed class BlobHost(RunningHost running, BlobProbe probe) : IAsyncDisposable
    {
        public WebApplication Web => running.Web;

        public BlobProbe Probe { get; } = probe;

        public HttpClient Client => running.Client;

        public static async Task<BlobHost> StartAsync(Action<LocalOptions>? options = null)
        {
            var probe = new BlobProbe();
            var builder = PortableApp.CreateBuilder([]);
            builder.AppName = "blob-tests";
            builder.Services.AddSingleton(probe);
            builder.Resources.AddBucket("uploads");
            builder.Functions.MapBlob<RecordBlob>("uploads", BlobEvents.Created | BlobEvents.Deleted);
            return new BlobHost(await RunningHost.StartAsync(builder.Build(), new Probe(), o =>
            {
                o.RetryMaxDelay = TimeSpan.FromMilliseconds(100);
                options?.Invoke(o);
            }), probe);
        }

        public Task WaitUntilAsync(Func<bool> condition) => running.WaitUntilAsync(condition);

        public ValueTask DisposeAsync() => running.DisposeAsync();
    }
}
