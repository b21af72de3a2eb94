using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portable.Blobs;
using Portable.Core.Tests.Fixtures;
using Portable.Hosting;

namespace Portable.Core.Tests;

/// <summary>The blob-store port's declarations: bucket and object name rules, <c>MapBlob</c>, what a function uses, and the portable event.</summary>
public sealed class BlobPortTests
{
    [Theory]
    [InlineData("ab", "3 to 63")]
    [InlineData("Receipts", "lowercase")]
    [InlineData("receipts_2026", "lowercase")]
    [InlineData("-receipts", "start and end")]
    [InlineData("receipts-", "start and end")]
    [InlineData("my--receipts", "two hyphens")]
    [InlineData("my.receipts", "lowercase")]
    public void AddBucket_NameOutsideThePortableRule_ThrowsSayingWhy(string name, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => TestApp.CreateBuilder().Resources.AddBucket(name));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Equal("bucket", e.ParamName);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("receipts-2026")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890123")]
    public void AddBucket_PortableName_IsListedOnce(string name)
    {
        var app = TestApp.Build(b => b.Resources.AddBucket(name).AddBucket(name));

        Assert.Equal([name], app.Catalog.Buckets);
    }

    [Theory]
    [InlineData("/leading", "start with '/'")]
    [InlineData("trailing/", "end with '/' or '.'")]
    [InlineData("file.", "end with '/' or '.'")]
    [InlineData("a//b", "empty, '.' or '..'")]
    [InlineData("a/../b", "empty, '.' or '..'")]
    [InlineData("line\nbreak", "control character")]
    [InlineData("nul\0", "control character")]
    public void ValidateName_UnportableObjectName_ThrowsSayingWhy(string name, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => BlobRules.ValidateName(name));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateName_LoneSurrogate_Throws() // a Fact: xUnit's theory data would turn the lone surrogate into U+FFFD
    {
        var e = Assert.Throws<ArgumentException>(() => BlobRules.ValidateName("lone\ud800surrogate"));

        Assert.Contains("lone surrogate", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("receipt.pdf")]
    [InlineData("2026/11/30/orders.csv")]
    [InlineData("ünïcödé 名前 😀.txt")]
    [InlineData(".hidden")]
    public void ValidateName_PortableObjectName_IsAccepted(string name) => BlobRules.ValidateName(name);

    [Fact]
    public void ValidateName_CountsUtf8BytesNotCharacters()
    {
        BlobRules.ValidateName(new string('é', 512)); // 1024 bytes
        Assert.Throws<ArgumentException>(() => BlobRules.ValidateName(new string('é', 512) + "x"));
    }

    [Theory]
    [InlineData("Order", "x")]
    [InlineData("order-id", "x")]
    [InlineData("1st", "x")]
    [InlineData("order", "caf\u00e9")]
    [InlineData("order", "line\nbreak")]
    public void ValidateMetadata_UnportableKeyOrValue_Throws(string key, string value)
        => Assert.Throws<ArgumentException>(() => BlobRules.ValidateMetadata(new Dictionary<string, string> { [key] = value }));

    [Fact]
    public void ValidateMetadata_Over2KB_Throws_AndAt2KBIsAccepted()
    {
        BlobRules.ValidateMetadata(new Dictionary<string, string> { ["k"] = new string('v', 2047) });
        var e = Assert.Throws<ArgumentException>(() => BlobRules.ValidateMetadata(new Dictionary<string, string> { ["k"] = new string('v', 2048) }));
        Assert.Contains("2048", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L, null, "bytes=0-")]
    [InlineData(10L, 10L, "bytes=10-19")]
    public void BlobRange_ToHttpRange_IsTheInclusiveHeaderForm(long offset, long? length, string expected)
        => Assert.Equal(expected, new BlobRange(offset, length).ToHttpRange());

    [Fact]
    public void SignedUrlOptions_LifetimeOver7Days_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlobSignedUrlOptions { ExpiresIn = TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1) }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlobSignedUrlOptions { ExpiresIn = TimeSpan.Zero }.Validate());
        new BlobSignedUrlOptions { ExpiresIn = TimeSpan.FromDays(7) }.Validate();
    }

    [Fact]
    public void MapBlob_DeclaresTheBucket_AndTheTriggerSaysWhichEvents()
    {
        var app = TestApp.Build(b => b.Functions.MapBlob<ImportsFiles>("imports", BlobEvents.Created | BlobEvents.Deleted));

        var function = app.Catalog.Get(nameof(ImportsFiles));
        Assert.Equal(TriggerKind.Blob, function.Trigger.Kind);
        Assert.Equal("imports", function.Trigger.Name);
        Assert.Equal(BlobEvents.Created | BlobEvents.Deleted, function.Trigger.BlobEvents);
        Assert.Equal(["imports"], app.Catalog.Buckets);
        Assert.Empty(function.Uses.Buckets); // its trigger is not a use
    }

    [Fact]
    public void MapBlob_WithoutEvents_Throws()
        => Assert.Throws<ArgumentException>(() => TestApp.CreateBuilder().Functions.MapBlob<ImportsFiles>("imports", 0));

    [Fact]
    public void Uses_ListsTheBucketOfAKeyedConstructorStore_AndAUsesBucketDeclaration()
    {
        var app = TestApp.Build(b =>
        {
            b.Resources.AddBucket("receipts").AddBucket("archive");
            b.Functions.MapBlob<ImportsFiles>("imports").MapQueue<WritesReceipts, OrderPlaced>("receipts-to-write").UsesBucket("archive");
        });

        Assert.Equal(["receipts", "archive"], app.Catalog.Get(nameof(WritesReceipts)).Uses.Buckets);
        Assert.False(app.Catalog.Get(nameof(WritesReceipts)).Uses.IsEmpty);
        Assert.Equal(["receipts", "archive", "imports"], app.Catalog.Buckets);
    }

    [Fact]
    public void Uses_OfAnUndeclaredBucket_ThrowsNamingAddBucket()
    {
        var app = TestApp.Build(b => b.Functions.MapQueue<WritesReceipts, OrderPlaced>("receipts-to-write"));

        var e = Assert.Throws<PortableConfigurationException>(() => app.Catalog.Get(nameof(WritesReceipts)).Uses);
        Assert.Contains("AddBucket(\"receipts\")", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Uses_OfAStoreWithoutABucketKey_ThrowsSayingHowToTakeIt()
    {
        var app = TestApp.Build(b => b.Functions.MapQueue<TakesUnkeyedStore, OrderPlaced>("q"));

        var e = Assert.Throws<PortableConfigurationException>(() => app.Catalog.Get(nameof(TakesUnkeyedStore)).Uses);
        Assert.Contains("[FromKeyedServices(\"bucket-name\")] IBlobStore", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_ListsBucketsAndTheBlobTrigger()
    {
        var app = TestApp.Build(b => { b.Resources.AddBucket("receipts"); b.Functions.MapBlob<ImportsFiles>("imports"); });

        var json = app.Catalog.ToJson();

        Assert.Contains("\"buckets\": [", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"blob\"", json, StringComparison.Ordinal);
        Assert.Contains("\"blobEvents\": \"created\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeJsonAsync_PortableBlobEvent_ReachesTheHandler()
    {
        var seen = new List<BlobEvent>();
        var app = TestApp.Build(b =>
        {
            b.Services.AddSingleton(seen);
            b.Functions.MapBlob<ImportsFiles>("imports");
        });

        await TestApp.CreateExecutor(app).InvokeJsonAsync(app.Catalog.Get(nameof(ImportsFiles)), Encoding.UTF8.GetBytes(
            """{"bucket":"imports","name":"a/b.csv","type":"created","time":"2026-11-30T10:00:00Z","id":"e1","size":42,"eTag":"abc"}"""),
            new InvocationInfo(), default);

        var e = Assert.Single(seen);
        Assert.Equal(("imports", "a/b.csv", BlobEvents.Created, 42L, "abc", "e1"), (e.Bucket, e.Name, e.Type, e.Size, e.ETag, e.Id));
    }

    [Theory]
    [InlineData("""{"bucket":"other","name":"a","type":"created","time":"2026-11-30T10:00:00Z","id":"e1"}""", "bucket 'other'")]
    [InlineData("""{"bucket":"imports","name":"a","type":"deleted","time":"2026-11-30T10:00:00Z","id":"e1"}""", "handles Created")]
    [InlineData("""{"bucket":"imports","type":"created","time":"2026-11-30T10:00:00Z","id":"e1"}""", "no object name")]
    [InlineData("""{"bucket":"imports","name":"a","type":"created","time":"2026-11-30T10:00:00Z"}""", "no id")]
    public async Task InvokeJsonAsync_EventTheFunctionDoesNotHandle_IsInvalidInput(string json, string reason)
    {
        var app = TestApp.Build(b =>
        {
            b.Services.AddSingleton(new List<BlobEvent>());
            b.Functions.MapBlob<ImportsFiles>("imports");
        });

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => TestApp.CreateExecutor(app).InvokeJsonAsync(
            app.Catalog.Get(nameof(ImportsFiles)), Encoding.UTF8.GetBytes(json), new InvocationInfo(), default));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    public sealed class ImportsFiles(List<BlobEvent> seen) : IBlobHandler
    {
        public Task HandleAsync(BlobEvent blobEvent, FunctionContext context, CancellationToken cancellationToken)
        {
            seen.Add(blobEvent);
            return Task.CompletedTask;
        }
    }

    public sealed class WritesReceipts([FromKeyedServices("receipts")] IBlobStore receipts) : IMessageHandler<OrderPlaced>
    {
        public Task HandleAsync(OrderPlaced message, FunctionContext context, CancellationToken cancellationToken)
            => receipts.PutAsync("receipt.txt", Stream.Null, null, cancellationToken);
    }

    public sealed class TakesUnkeyedStore(IBlobStore store) : IMessageHandler<OrderPlaced>
    {
        public Task HandleAsync(OrderPlaced message, FunctionContext context, CancellationToken cancellationToken) => store.DeleteAsync("receipt.txt", ExpectedVersion.Any, cancellationToken);
    }
}
