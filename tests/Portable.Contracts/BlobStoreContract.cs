using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Portable.Blobs;

namespace Portable.Contracts;

/// <summary>
/// What every <see cref="IBlobStore"/> implementation does, whatever the cloud: streamed writes and reads with ranges, properties
/// and metadata, conditional writes and deletes by ETag, listing by prefix across pages, the shared name rules
/// (<see cref="BlobRules"/>), a 200 MB object streamed in and out within a memory bound, and signed URLs that a plain HTTP client
/// can use. Subclass it once for each implementation, over a fresh bucket.
/// </summary>
/// <remarks>
/// The memory bound is measured on the whole process, so mark each subclass <c>[Collection(BlobStoreContract.MemoryCollection)]</c>
/// and declare that collection once in the test assembly with <c>DisableParallelization = true</c>
/// (<c>[CollectionDefinition(BlobStoreContract.MemoryCollection, DisableParallelization = true)] public sealed class BlobStoreCollection;</c>):
/// then no other test allocates beside it.
/// </remarks>
public abstract class BlobStoreContract : IAsyncLifetime
{
    /// <summary>The size of the large-object test: 200 MB, the figure.</summary>
    public const long LargeObjectBytes = 200L * 1024 * 1024;

    /// <summary>How much the process may grow while the large object goes in and out: 100 MB.</summary>
    public const long LargeObjectMemoryBound = 100L * 1024 * 1024;

    /// <summary>The xUnit collection every subclass joins, declared without parallelization in each test assembly.</summary>
    public const string MemoryCollection = "blob-store-contract";

    private IBlobStore? _store;

    /// <summary>The bucket this test works on, fresh for each test.</summary>
    protected string Bucket { get; } = ContractApp.UniqueName("blobs");

    /// <summary>The store under test.</summary>
    protected IBlobStore Store => _store ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>Creates the implementation over an empty bucket named <paramref name="bucket"/>, declared in <paramref name="app"/>.</summary>
    /// <param name="app">An app declaring the bucket (see <see cref="ContractApp.Build"/>).</param>
    /// <param name="bucket">The bucket's declared name.</param>
    /// <returns>The store.</returns>
    protected abstract Task<IBlobStore> CreateStoreAsync(PortableApp app, string bucket);

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made; nothing by default.</summary>
    /// <returns>A task that completes when it is released.</returns>
    protected virtual Task DeleteStoreAsync() => Task.CompletedTask;

    /// <summary>
    /// Whether the server behind the store checks signed URLs (a real cloud, Azurite, the local host). An emulator that serves
    /// every request without checking (fauxqs) says false, and its adapter proves its signatures with the cloud's published vectors.
    /// </summary>
    protected virtual bool ServerChecksSignatures => true;

    /// <summary>
    /// Whether the server behind the store lists names in ordinal (UTF-8 byte) order, as S3, Cloud Storage and Blob Storage do.
    /// An emulator that sorts otherwise (fauxqs compares with the locale: <c>a</c> before <c>A</c>) says false, and the listing test
    /// then checks which names come back, not their order (the 2,500-object test's names sort the same either way).
    /// </summary>
    protected virtual bool ServerListsInOrdinalOrder => true;

    /// <summary>The client that fetches signed URLs: a plain one, as a browser would, with no credentials.</summary>
    protected virtual HttpClient CreateAnonymousClient() => new();

    /// <inheritdoc />
    public async Task InitializeAsync() => _store = await CreateStoreAsync(ContractApp.Build(bucket: Bucket), Bucket);

    /// <inheritdoc />
    public Task DisposeAsync() => DeleteStoreAsync();

    /// <summary>The store says which bucket it serves, by its declared name.</summary>
    [Fact]
    public void Bucket_IsTheDeclaredName() => Assert.Equal(Bucket, Store.Bucket);

    /// <summary>A missing object reads as null, both its content and its properties.</summary>
    [Fact]
    public async Task Get_Missing_ReturnsNull()
    {
        Assert.Null(await Store.GetAsync("missing.txt", null, default));
        Assert.Null(await Store.GetPropertiesAsync("missing.txt", default));
    }

    /// <summary>A write stores content, content type and metadata; a read returns them with the ETag the write returned, unquoted.</summary>
    [Fact]
    public async Task Put_ThenGet_ReturnsTheContentTypeMetadataAndETagOfTheWrite()
    {
        var written = await Store.PutAsync("a/receipt.txt", Text("hello, blob"), new BlobPutOptions
        {
            ContentType = "text/plain; charset=utf-8",
            Metadata = new Dictionary<string, string> { ["order_id"] = "o-1", ["source"] = "contract test" },
        }, default);

        Assert.Equal("a/receipt.txt", written.Name);
        Assert.Equal(11, written.Size);
        AssertETag(written.ETag);
        await using var download = await Store.GetAsync("a/receipt.txt", null, default);
        Assert.NotNull(download);
        Assert.Equal("hello, blob", await ReadText(download.Content));
        Assert.Equal(written.ETag, download.Properties.ETag);
        Assert.Equal(11, download.Properties.Size);
        Assert.Equal("text/plain; charset=utf-8", download.Properties.ContentType);
        Assert.Equal("o-1", download.Properties.Metadata["order_id"]);
        Assert.Equal("contract test", download.Properties.Metadata["source"]);
        var properties = await Store.GetPropertiesAsync("a/receipt.txt", default);
        Assert.Equal(written.ETag, properties!.ETag);
        Assert.Equal(download.Properties.Metadata.Count, properties.Metadata.Count);
    }

    /// <summary>Without options an object is <c>application/octet-stream</c> with no metadata; an empty object is stored as empty.</summary>
    [Fact]
    public async Task Put_WithoutOptions_IsOctetStream_AndAnEmptyObjectRoundTrips()
    {
        await Store.PutAsync("empty.bin", new MemoryStream(), null, default);

        await using var download = await Store.GetAsync("empty.bin", null, default);
        Assert.Equal(0, download!.Properties.Size);
        Assert.Equal("application/octet-stream", download.Properties.ContentType);
        Assert.Empty(download.Properties.Metadata);
        Assert.Empty(await ReadBytes(download.Content));
    }

    /// <summary>Names with spaces, plus signs, percent signs, unicode and folders round-trip exactly (URL encoding is the store's business).</summary>
    [Theory]
    [InlineData("with space.txt")]
    [InlineData("plus+sign.txt")]
    [InlineData("percent%20literal.txt")]
    [InlineData("folder/sub folder/ünïcödé 名前 😀.txt")]
    [InlineData("query?and#hash&amp=1.txt")]
    public async Task Put_NameNeedingEncoding_RoundTripsExactly_AndListsUnderItsName(string name)
    {
        await Store.PutAsync(name, Text(name), null, default);

        await using var download = await Store.GetAsync(name, null, default);
        Assert.Equal(name, await ReadText(download!.Content));
        var page = await Store.ListAsync(null, new PageRequest(), default);
        Assert.Equal(name, Assert.Single(page.Items).Name);
    }

    /// <summary>An unportable name is refused before the store is called, the same on every cloud.</summary>
    [Theory]
    [InlineData("/leading-slash")]
    [InlineData("a/../b")]
    [InlineData("ends-with-dot.")]
    public async Task Operations_WithAnUnportableName_ThrowArgumentException(string name)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutAsync(name, Text("x"), null, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.GetAsync(name, null, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.DeleteAsync(name, ExpectedVersion.Any, default));
    }

    /// <summary>A second write replaces the content and changes the ETag.</summary>
    [Fact]
    public async Task Put_Twice_ReplacesTheContent_AndChangesTheETag()
    {
        var first = await Store.PutAsync("r.txt", Text("one"), null, default);
        var second = await Store.PutAsync("r.txt", Text("two"), null, default);

        Assert.NotEqual(first.ETag, second.ETag);
        await using var download = await Store.GetAsync("r.txt", null, default);
        Assert.Equal("two", await ReadText(download!.Content));
    }

    /// <summary><see cref="ExpectedVersion.None"/> creates when absent and conflicts when present, leaving the object alone.</summary>
    [Fact]
    public async Task Put_WithNone_CreatesWhenAbsent_AndConflictsWhenPresent()
    {
        var created = await Store.PutAsync("n.txt", Text("first"), new BlobPutOptions { Expected = ExpectedVersion.None }, default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.PutAsync("n.txt", Text("second"), new BlobPutOptions { Expected = ExpectedVersion.None }, default));
        var properties = await Store.GetPropertiesAsync("n.txt", default);
        Assert.Equal(created.ETag, properties!.ETag);
    }

    /// <summary><see cref="ExpectedVersion.Exactly"/> writes over the current ETag and conflicts on a stale one or a missing object.</summary>
    [Fact]
    public async Task Put_WithExactly_WritesOverTheCurrentETag_AndConflictsOnAStaleOneOrNoObject()
    {
        var first = await Store.PutAsync("x.txt", Text("one"), null, default);
        var second = await Store.PutAsync("x.txt", Text("two"), new BlobPutOptions { Expected = ExpectedVersion.Exactly(first.ETag) }, default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.PutAsync("x.txt", Text("three"), new BlobPutOptions { Expected = ExpectedVersion.Exactly(first.ETag) }, default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.PutAsync("absent.txt", Text("x"), new BlobPutOptions { Expected = ExpectedVersion.Exactly(first.ETag) }, default));
        await using var download = await Store.GetAsync("x.txt", null, default);
        Assert.Equal("two", await ReadText(download!.Content));
        Assert.Equal(second.ETag, download.Properties.ETag);
        Assert.Null(await Store.GetPropertiesAsync("absent.txt", default));
    }

    /// <summary>Of eight concurrent creates of one name, exactly one wins; the others conflict.</summary>
    [Fact]
    public async Task Put_WithNone_Concurrently_ExactlyOneWins()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await Store.PutAsync("race.txt", Text($"writer {i}"), new BlobPutOptions { Expected = ExpectedVersion.None }, default);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        }));

        Assert.Equal(1, outcomes.Count(won => won));
    }

    /// <summary>A delete says whether there was an object; afterwards it reads as missing.</summary>
    [Fact]
    public async Task Delete_ReturnsWhetherThereWasAnObject()
    {
        await Store.PutAsync("d.txt", Text("x"), null, default);

        Assert.True(await Store.DeleteAsync("d.txt", ExpectedVersion.Any, default));
        Assert.Null(await Store.GetPropertiesAsync("d.txt", default));
        Assert.False(await Store.DeleteAsync("d.txt", ExpectedVersion.Any, default));
    }

    /// <summary>A delete with a stale ETag conflicts and leaves the object; with the current one it deletes.</summary>
    [Fact]
    public async Task Delete_WithExactly_ConflictsOnAStaleETag_AndDeletesOnTheCurrentOne()
    {
        var first = await Store.PutAsync("c.txt", Text("one"), null, default);
        var second = await Store.PutAsync("c.txt", Text("two"), null, default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.DeleteAsync("c.txt", ExpectedVersion.Exactly(first.ETag), default));
        Assert.NotNull(await Store.GetPropertiesAsync("c.txt", default));
        Assert.True(await Store.DeleteAsync("c.txt", ExpectedVersion.Exactly(second.ETag), default));
        Assert.Null(await Store.GetPropertiesAsync("c.txt", default));
    }

    /// <summary>A range reads those bytes; a range to the end reads the rest; a range past the end reads nothing; properties keep the whole size.</summary>
    [Fact]
    public async Task Get_WithRanges_ReadsThoseBytes_AndPropertiesKeepTheWholeSize()
    {
        var content = Enumerable.Range(0, 1000).Select(i => (byte)(i % 251)).ToArray();
        await Store.PutAsync("range.bin", new MemoryStream(content), null, default);

        await using (var middle = await Store.GetAsync("range.bin", new BlobRange(100, 50), default))
        {
            Assert.Equal(content[100..150], await ReadBytes(middle!.Content));
            Assert.Equal(1000, middle.Properties.Size);
        }

        await using (var tail = await Store.GetAsync("range.bin", new BlobRange(990), default))
        {
            Assert.Equal(content[990..], await ReadBytes(tail!.Content));
        }

        await using (var longer = await Store.GetAsync("range.bin", new BlobRange(995, 100), default))
        {
            Assert.Equal(content[995..], await ReadBytes(longer!.Content));
        }

        await using var past = await Store.GetAsync("range.bin", new BlobRange(1000, 10), default);
        Assert.NotNull(past);
        Assert.Empty(await ReadBytes(past.Content));
    }

    /// <summary>Listing by prefix returns only that prefix's objects, in ordinal name order, with the ETags and sizes of the writes.</summary>
    [Fact]
    public async Task List_ByPrefix_ReturnsOnlyThosePrefixedObjects_InOrdinalOrder()
    {
        var etags = new Dictionary<string, string>();
        foreach (var name in new[] { "in/b.txt", "in/a.txt", "in/A.txt", "in/sub/c.txt", "out/a.txt", "inside.txt" })
        {
            etags[name] = (await Store.PutAsync(name, Text(name), null, default)).ETag;
        }

        var page = await Store.ListAsync("in/", new PageRequest(), default);

        string[] expected = ["in/A.txt", "in/a.txt", "in/b.txt", "in/sub/c.txt"];
        Assert.Equal(expected, ServerListsInOrdinalOrder ? page.Items.Select(i => i.Name) : page.Items.Select(i => i.Name).Order(StringComparer.Ordinal));
        Assert.All(page.Items, item => Assert.Equal(etags[item.Name], item.ETag));
        Assert.All(page.Items, item => Assert.Equal(Encoding.UTF8.GetByteCount(item.Name), item.Size));
        Assert.Null(page.ContinuationToken);
        Assert.Equal(6, (await Store.ListAsync(null, new PageRequest(), default)).Items.Count);
        Assert.Empty((await Store.ListAsync("nothing/", new PageRequest(), default)).Items);
    }

    /// <summary>2,500 objects listed by prefix in pages of 1,000 come back each once, in order, across three pages.</summary>
    [Fact]
    public async Task List_2500Objects_AcrossPages_ReturnsEachOnceInOrder()
    {
        var names = Enumerable.Range(0, 2500).Select(i => $"many/{i:D5}.txt").ToList();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (name, ct) => await Store.PutAsync(name, Text("x"), null, ct));
        await Store.PutAsync("other.txt", Text("x"), null, default);

        var listed = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await Store.ListAsync("many/", new PageRequest(1000, token), default);
            Assert.True(page.Items.Count <= 1000, $"a page of {page.Items.Count} items is larger than the 1000 asked for");
            listed.AddRange(page.Items.Select(i => i.Name));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(names, listed);
        Assert.InRange(pages, 3, 4); // a store may end with an empty last page
    }

    /// <summary>
    /// A 200 MB object from a stream that cannot seek goes in and comes out byte for byte (by SHA-256), while the process grows by
    /// less than 100 MB: the store streams, it never holds a whole object.
    /// </summary>
    [Fact]
    public async Task Put_And_Get_A200MBObject_Streams_WithinTheMemoryBound()
    {
        using var sampler = new PeakMemorySampler();
        var source = new GeneratedStream(LargeObjectBytes);

        var written = await Store.PutAsync("large.bin", source, null, default);
        Assert.Equal(LargeObjectBytes, written.Size);

        await using var download = await Store.GetAsync("large.bin", null, default);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long read = 0;
        int n;
        while ((n = await download!.Content.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            read += n;
        }

        Assert.Equal(LargeObjectBytes, read);
        Assert.Equal(source.Hash(), hash.GetHashAndReset());
        var growth = sampler.Stop();
        Assert.True(growth < LargeObjectMemoryBound, $"the process grew by {growth / (1024 * 1024)} MB while 200 MB went in and out (at most {LargeObjectMemoryBound / (1024 * 1024)} MB)");
    }

    /// <summary>A signed read URL downloads the object with a plain HTTP client, with its content type.</summary>
    [Fact]
    public async Task SignedReadUrl_DownloadsTheObject_WithoutCredentials()
    {
        await Store.PutAsync("signed/read me.txt", Text("signed content"), new BlobPutOptions { ContentType = "text/plain" }, default);

        var url = await Store.GetSignedUrlAsync("signed/read me.txt", new BlobSignedUrlOptions { ExpiresIn = TimeSpan.FromMinutes(5) }, default);

        using var client = CreateAnonymousClient();
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("signed content", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A signed write URL uploads an object with a plain HTTP client; the store then reads it.</summary>
    [Fact]
    public async Task SignedWriteUrl_UploadsTheObject_WithoutCredentials()
    {
        var url = await Store.GetSignedUrlAsync("signed/upload.csv", new BlobSignedUrlOptions { Access = BlobAccess.Write, ContentType = "text/csv" }, default);

        using var client = CreateAnonymousClient();
        using var body = new ByteArrayContent(Encoding.UTF8.GetBytes("customerId,sku\nc1,s1\n"));
        body.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var put = new HttpRequestMessage(HttpMethod.Put, url) { Content = body };
        put.Headers.Add("x-ms-blob-type", "BlockBlob"); // Blob Storage needs it on a Put Blob; S3, GCS and the local host ignore it
        using var response = await client.SendAsync(put);

        Assert.True(response.IsSuccessStatusCode, $"the signed upload answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        await using var download = await Store.GetAsync("signed/upload.csv", null, default);
        Assert.Equal("customerId,sku\nc1,s1\n", await ReadText(download!.Content));
    }

    /// <summary>A signed URL whose signature was changed, or one for another object, is refused with 403.</summary>
    [Fact]
    public async Task SignedUrl_Tampered_IsRefused403()
    {
        if (!ServerChecksSignatures) return; // the adapter proves its signatures against the cloud's published vectors instead
        await Store.PutAsync("secret.txt", Text("secret"), null, default);
        await Store.PutAsync("other.txt", Text("other"), null, default);
        var url = await Store.GetSignedUrlAsync("secret.txt", new BlobSignedUrlOptions(), default);

        using var client = CreateAnonymousClient();
        var otherObject = new Uri(url.ToString().Replace("secret.txt", "other.txt", StringComparison.Ordinal));
        var query = url.Query;
        var last = query[^1] == '0' ? '1' : '0';
        var changedSignature = new Uri(url.GetLeftPart(UriPartial.Path) + query[..^1] + last);
        using var first = await client.GetAsync(otherObject);
        using var second = await client.GetAsync(changedSignature);

        Assert.Equal(HttpStatusCode.Forbidden, first.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
    }

    /// <summary>A signed URL is refused with 403 once it has expired.</summary>
    [Fact]
    public async Task SignedUrl_Expired_IsRefused403()
    {
        if (!ServerChecksSignatures) return; // see SignedUrl_Tampered_IsRefused403
        await Store.PutAsync("soon.txt", Text("soon"), null, default);
        var url = await Store.GetSignedUrlAsync("soon.txt", new BlobSignedUrlOptions { ExpiresIn = TimeSpan.FromSeconds(1) }, default);

        await Task.Delay(TimeSpan.FromSeconds(2.5)); // signatures count whole seconds: wait past the expiry, not for speed
        using var client = CreateAnonymousClient();
        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>A signed URL's lifetime is checked before signing: 1 second to 7 days.</summary>
    [Fact]
    public async Task SignedUrl_LifetimeOver7Days_ThrowsArgumentOutOfRange()
        => await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.GetSignedUrlAsync("x.txt", new BlobSignedUrlOptions { ExpiresIn = TimeSpan.FromDays(8) }, default));

    private static void AssertETag(string etag)
    {
        Assert.False(string.IsNullOrEmpty(etag));
        Assert.False(etag.StartsWith('"') || etag.EndsWith('"'), $"the ETag {etag} is quoted; Portable's ETags are unquoted");
    }

    private static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    private static async Task<string> ReadText(Stream stream) => Encoding.UTF8.GetString(await ReadBytes(stream));

    private static async Task<byte[]> ReadBytes(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>A forward-only stream of deterministic bytes of a given length, which can say the SHA-256 of what it produced.</summary>
    private sealed class GeneratedStream(long length) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public byte[] Hash() => _hash.GetHashAndReset();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            for (var i = 0; i < n; i++) buffer[i] = (byte)(((_position + i) * 31) >> 3);
            _hash.AppendData(buffer[..n]);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>Samples the process's resident set every 20 ms from a baseline taken after a full collection; reports the peak growth.</summary>
    private sealed class PeakMemorySampler : IDisposable
    {
        private readonly long _baseline;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private long _peak;

        public PeakMemorySampler()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var process = Process.GetCurrentProcess();
            _baseline = process.WorkingSet64;
            _peak = _baseline;
            _sampling = Task.Run(async () =>
            {
                using var me = Process.GetCurrentProcess();
                while (!_stop.IsCancellationRequested)
                {
                    me.Refresh();
                    _peak = Math.Max(_peak, me.WorkingSet64);
                    try
                    {
                        await Task.Delay(20, _stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            });
        }

        public long Stop()
        {
            _stop.Cancel();
            _sampling.Wait();
            return _peak - _baseline;
        }

        public void Dispose()
        {
            if (!_stop.IsCancellationRequested) Stop();
            _stop.Dispose();
        }
    }
}
