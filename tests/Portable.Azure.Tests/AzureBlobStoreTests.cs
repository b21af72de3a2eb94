using System.Text;
using Portable.Azure.Data;
using Portable.Blobs;

namespace Portable.Azure.Tests;

/// <summary><see cref="AzureBlobStore"/> against the real Azurite Blob service: the Azure specifics the shared contract does not reach.</summary>
public sealed class AzureBlobStoreTests
{
    private readonly AzureBlobStore _store = new("b-" + Guid.NewGuid().ToString("N")[..12], Azurite.Clients());

    private static MemoryStream Text(string value) => new(Encoding.UTF8.GetBytes(value));

    [Fact]
    public async Task Put_StoresContentTypeAndMetadata_AndTheETagHasNoQuotes()
    {
        var put = await _store.PutAsync("a/receipt.txt", Text("hello"), new BlobPutOptions
        {
            ContentType = "text/plain",
            Metadata = new Dictionary<string, string> { ["order_id"] = "o-1" },
        }, default);

        Assert.Equal(5, put.Size);
        Assert.DoesNotContain('"', put.ETag);
        var read = await _store.GetPropertiesAsync("a/receipt.txt", default);
        Assert.NotNull(read);
        Assert.Equal(put.ETag, read.ETag);
        Assert.Equal("text/plain", read.ContentType);
        Assert.Equal("o-1", read.Metadata["order_id"]);
    }

    [Fact]
    public async Task Get_WithARange_ReadsTheRange_AndReportsTheWholeSize()
    {
        await _store.PutAsync("r.txt", Text("0123456789"), null, default);

        await using var part = await _store.GetAsync("r.txt", new BlobRange(2, 3), default);
        Assert.NotNull(part);
        Assert.Equal("234", await new StreamReader(part.Content).ReadToEndAsync());
        Assert.Equal(10, part.Properties.Size);
        await using var past = await _store.GetAsync("r.txt", new BlobRange(10), default);
        Assert.NotNull(past);
        Assert.Equal("", await new StreamReader(past.Content).ReadToEndAsync());
    }

    [Fact]
    public async Task MissingObject_AndMissingContainer_ReadAsNull_AndDeleteAsFalse()
    {
        Assert.Null(await _store.GetAsync("none", null, default));
        Assert.Null(await _store.GetPropertiesAsync("none", default));
        Assert.False(await _store.DeleteAsync("none", ExpectedVersion.Any, default));
        Assert.Empty((await _store.ListAsync(null, new PageRequest(10), default)).Items);
    }

    [Fact]
    public async Task ConditionalPutAndDelete_WithAStaleETag_ThrowConcurrencyConflict()
    {
        var first = await _store.PutAsync("c.txt", Text("1"), new BlobPutOptions { Expected = ExpectedVersion.None }, default);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.PutAsync("c.txt", Text("2"), new BlobPutOptions { Expected = ExpectedVersion.None }, default));
        var second = await _store.PutAsync("c.txt", Text("2"), new BlobPutOptions { Expected = ExpectedVersion.Exactly(first.ETag) }, default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.PutAsync("c.txt", Text("3"), new BlobPutOptions { Expected = ExpectedVersion.Exactly(first.ETag) }, default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.DeleteAsync("c.txt", ExpectedVersion.Exactly(first.ETag), default));
        Assert.True(await _store.DeleteAsync("c.txt", ExpectedVersion.Exactly(second.ETag), default));
        Assert.Null(await _store.GetPropertiesAsync("c.txt", default));
    }

    [Fact]
    public async Task List_ByPrefix_PagesInNameOrder()
    {
        foreach (var name in new[] { "in/c", "in/a", "out/x", "in/b" }) await _store.PutAsync(name, Text(name), null, default);

        var first = await _store.ListAsync("in/", new PageRequest(2), default);
        Assert.Equal(["in/a", "in/b"], first.Items.Select(i => i.Name));
        Assert.NotNull(first.ContinuationToken);
        var second = await _store.ListAsync("in/", new PageRequest(2, first.ContinuationToken), default);
        Assert.Equal(["in/c"], second.Items.Select(i => i.Name));
        Assert.Null(second.ContinuationToken);
        Assert.All(first.Items, i => Assert.DoesNotContain('"', i.ETag));
    }

    [Fact]
    public async Task SignedUrls_ForWriteThenRead_AreHonouredByAzurite_AndATamperedOneIsRefused()
    {
        using var http = new HttpClient();
        var upload = await _store.GetSignedUrlAsync("signed/u.txt", new BlobSignedUrlOptions { Access = BlobAccess.Write, ContentType = "text/plain" }, default);
        await _store.PutAsync("other.txt", Text("x"), null, default); // the container exists before the browser's PUT
        using var put = new HttpRequestMessage(HttpMethod.Put, upload) { Content = new StringContent("from a browser", Encoding.UTF8, "text/plain") };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        Assert.Equal(System.Net.HttpStatusCode.Created, (await http.SendAsync(put)).StatusCode);

        var download = await _store.GetSignedUrlAsync("signed/u.txt", new BlobSignedUrlOptions(), default);
        Assert.Equal("from a browser", await http.GetStringAsync(download));
        var tampered = new Uri(download.AbsoluteUri.Replace("sp=r", "sp=rw", StringComparison.Ordinal));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await http.GetAsync(tampered)).StatusCode);
        var readOnly = new HttpRequestMessage(HttpMethod.Put, download) { Content = new StringContent("overwrite") };
        readOnly.Headers.Add("x-ms-blob-type", "BlockBlob");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await http.SendAsync(readOnly)).StatusCode);
    }

    [Fact]
    public async Task BadNames_AreRefusedBeforeAnyCall()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync("/abs", Text("x"), null, default));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.GetAsync("a/../b", null, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.GetSignedUrlAsync("a", new BlobSignedUrlOptions { ExpiresIn = TimeSpan.FromDays(8) }, default));
    }
}
