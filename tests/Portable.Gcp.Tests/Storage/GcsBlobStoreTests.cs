using System.Security.Cryptography;
using System.Text;
using Portable.Blobs;
using Portable.Contracts;
using Portable.Gcp.Storage;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests.Storage;

/// <summary>What the Cloud Storage store sends: which upload it chooses, the generation as ETag, and its retries (as Google's clients retry).</summary>
public sealed class GcsBlobStoreTests : IAsyncLifetime
{
    private const string BucketName = "files";
    private GcsTestServices _google = null!;

    private FakeCloudStorage Fake => _google.Storage;

    private IBlobStore Store => _google.Store(BucketName);

    public async Task InitializeAsync() => _google = await GcsTestServices.StartAsync(ContractApp.Build(bucket: BucketName));

    public async Task DisposeAsync() => await _google.DisposeAsync();

    [Fact]
    public async Task Put_Small_IsOneMultipartRequest_CarryingContentTypeAndMetadata_IntoTheDeployedBucketName()
    {
        var stored = await Store.PutAsync("a.txt", Text("hello"), new BlobPutOptions { ContentType = "text/plain", Metadata = new Dictionary<string, string> { ["k"] = "v" } }, default);

        var upload = Assert.Single(Fake.Requests, r => r.Contains("/upload/", StringComparison.Ordinal));
        Assert.StartsWith($"POST /upload/storage/v1/b/{GcsTestServices.Physical(BucketName)}/o?uploadType=multipart", upload, StringComparison.Ordinal);
        Assert.Equal(("text/plain", "v"), (stored.ContentType, stored.Metadata["k"]));
    }

    [Fact]
    public async Task ETag_IsTheObjectsGeneration_SoAStorageEventsGenerationWorksAsTheExpectedVersion()
    {
        var stored = await Store.PutAsync("g.txt", Text("one"), null, default);
        var generation = Fake.Generation(GcsTestServices.Physical(BucketName), "g.txt");

        Assert.Equal(generation.ToString(), stored.ETag);
        var replaced = await Store.PutAsync("g.txt", Text("two"), new BlobPutOptions { Expected = ExpectedVersion.Exactly(generation!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)) }, default);
        Assert.Equal(Fake.Generation(GcsTestServices.Physical(BucketName), "g.txt").ToString(), replaced.ETag);
    }

    [Theory]
    [InlineData("\"0x8DC\"")]
    [InlineData("abc")]
    [InlineData("0")]
    public async Task Put_AndDelete_WithAnETagThatIsNoGeneration_ConflictWithoutAskingCloudStorage(string foreign)
    {
        await Store.PutAsync("f.txt", Text("x"), null, default);
        var before = Fake.Requests.Count;

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.PutAsync("f.txt", Text("y"), new BlobPutOptions { Expected = ExpectedVersion.Exactly(foreign) }, default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.DeleteAsync("f.txt", ExpectedVersion.Exactly(foreign), default));
        Assert.Equal(before, Fake.Requests.Count);
    }

    [Fact]
    public async Task Put_LargerThanOneChunk_IsAResumableUploadIn8MiBChunks_NeverOneWholeBody()
    {
        var content = RandomNumberGenerator.GetBytes(20 * 1024 * 1024);

        var stored = await Store.PutAsync("big.bin", new ForwardOnly(content), null, default);

        Assert.Equal(content.Length, stored.Size);
        Assert.Single(Fake.Requests, r => r.Contains("uploadType=resumable", StringComparison.Ordinal) && r.StartsWith("POST", StringComparison.Ordinal));
        Assert.Equal(3, Fake.Requests.Count(r => r.StartsWith("PUT", StringComparison.Ordinal) && r.Contains("upload_id=", StringComparison.Ordinal)));
        Assert.Equal(SHA256.HashData(content), await HashAsync("big.bin"));
    }

    [Theory]
    [InlineData(StorageFault.Unavailable)]
    [InlineData(StorageFault.Drop)]
    [InlineData(StorageFault.ApplyThenDrop)]
    public async Task Resumable_ChunkFailingOrItsAnswerLost_AsksTheSessionWhatItKept_AndFinishes(StorageFault fault)
    {
        var content = RandomNumberGenerator.GetBytes(17 * 1024 * 1024);
        var chunks = 0;
        Fake.Fail(r => r.StartsWith("PUT", StringComparison.Ordinal) && r.Contains("upload_id=", StringComparison.Ordinal) && ++chunks == 2, fault);

        var stored = await Store.PutAsync("resumed.bin", new ForwardOnly(content), new BlobPutOptions { Expected = ExpectedVersion.None }, default);

        Assert.Equal(0, Fake.PendingFaults);
        Assert.Equal(content.Length, stored.Size);
        Assert.Equal(SHA256.HashData(content), await HashAsync("resumed.bin"));
    }

    [Theory]
    [InlineData(StorageFault.Unavailable)]
    [InlineData(StorageFault.Drop)]
    public async Task Reads_AnsweredWith503OrDropped_AreRetried(StorageFault fault)
    {
        await Store.PutAsync("r.txt", Text("read me"), null, default);
        Fake.Fail(r => r.StartsWith("GET", StringComparison.Ordinal) && r.Contains("/o/r.txt", StringComparison.Ordinal) && !r.Contains("alt=media", StringComparison.Ordinal), fault);
        Fake.Fail(r => r.Contains("alt=media", StringComparison.Ordinal), fault);
        Fake.Fail(r => r.StartsWith("GET", StringComparison.Ordinal) && r.EndsWith("/o?maxResults=100", StringComparison.Ordinal), fault);

        await using var download = await Store.GetAsync("r.txt", null, default);
        Assert.Equal("read me", await new StreamReader(download!.Content).ReadToEndAsync());
        Assert.Single((await Store.ListAsync(null, new PageRequest(), default)).Items);
        Assert.Equal(0, Fake.PendingFaults);
    }

    [Fact]
    public async Task Put_Unconditional_Answered503_IsNotRetried_AsGoogleClientsDoNotRetryIt()
    {
        Fake.Fail(r => r.Contains("uploadType=multipart", StringComparison.Ordinal), StorageFault.Unavailable);

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => Store.PutAsync("once.txt", Text("x"), null, default));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        Assert.Single(Fake.Requests, r => r.Contains("uploadType=multipart", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Put_Conditional_Answered503_IsRetried_AndCreates()
    {
        Fake.Fail(r => r.Contains("uploadType=multipart", StringComparison.Ordinal), StorageFault.Unavailable);

        await Store.PutAsync("twice.txt", Text("x"), new BlobPutOptions { Expected = ExpectedVersion.None }, default);

        Assert.Equal(2, Fake.Requests.Count(r => r.Contains("uploadType=multipart&ifGenerationMatch=0", StringComparison.Ordinal)));
        Assert.NotNull(await Store.GetPropertiesAsync("twice.txt", default));
    }

    [Fact]
    public async Task Delete_Conditional_WhoseAnswerIsLost_IsRetried_AndReportsTheDelete()
    {
        var stored = await Store.PutAsync("d.txt", Text("x"), null, default);
        Fake.Fail(r => r.StartsWith("DELETE", StringComparison.Ordinal), StorageFault.ApplyThenDrop);

        Assert.True(await Store.DeleteAsync("d.txt", ExpectedVersion.Exactly(stored.ETag), default));
        Assert.Null(await Store.GetPropertiesAsync("d.txt", default));
        Assert.Equal(2, Fake.Requests.Count(r => r.StartsWith("DELETE", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Delete_Unconditional_Answered503_IsNotRetried()
    {
        await Store.PutAsync("u.txt", Text("x"), null, default);
        Fake.Fail(r => r.StartsWith("DELETE", StringComparison.Ordinal), StorageFault.Unavailable);

        await Assert.ThrowsAsync<HttpRequestException>(() => Store.DeleteAsync("u.txt", ExpectedVersion.Any, default));
        Assert.Single(Fake.Requests, r => r.StartsWith("DELETE", StringComparison.Ordinal));
    }

    private async Task<byte[]> HashAsync(string name)
    {
        await using var download = await Store.GetAsync(name, null, default);
        return await SHA256.HashDataAsync(download!.Content);
    }

    private static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>A stream that cannot seek, as a request body or a pipe is.</summary>
    private sealed class ForwardOnly(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
