using System.Net;
using System.Net.Http.Headers;
using Portable.Aws.Tests.Fixtures;
using Portable.Contracts;

namespace Portable.Aws.Tests.Blobs;

/// <summary>
/// The front the S3 contract runs through answers fauxqs's missing conditional writes and deletes as S3 documents them, and
/// forwards what passes. Plain HTTP requests against fauxqs (AWS_ENDPOINT_URL_S3), so the rule is checked apart from our client.
/// </summary>
[Collection(BlobStoreContract.MemoryCollection)]
public sealed class S3ConditionalFrontTests : IAsyncLifetime
{
    private readonly string _bucket = ContractApp.UniqueName("front");
    private readonly HttpClient _http = new();
    private S3ConditionalFront? _front;

    private S3ConditionalFront Front => _front ?? throw new InvalidOperationException("InitializeAsync has not run.");

    public async Task InitializeAsync()
    {
        var endpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3");
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            throw new InvalidOperationException("AWS_ENDPOINT_URL_S3 is not set, so fauxqs is not running for this test. Run tests/emulators/start.sh and source tests/emulators/.env, or run ./test.sh.");
        }

        _front = await S3ConditionalFront.StartAsync(new Uri(endpoint));
        using var created = await _http.PutAsync($"{Front.Endpoint}/{_bucket}", null);
        created.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        if (_front is not null) await _front.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task PutWithIfNoneMatch_OnAnExistingKey_Answers412PreconditionFailed_AndLeavesTheObject()
    {
        var first = await PutAsync("k.txt", "first", null);
        Assert.Equal(HttpStatusCode.OK, first.Status);

        var second = await PutAsync("k.txt", "second", ("If-None-Match", "*"));

        Assert.Equal(HttpStatusCode.PreconditionFailed, second.Status);
        Assert.Contains("<Code>PreconditionFailed</Code>", second.Body, StringComparison.Ordinal);
        Assert.Equal("first", await _http.GetStringAsync(ObjectUrl("k.txt")));
        Assert.Single(Front.Refusals);
    }

    [Fact]
    public async Task PutWithIfMatch_WritesOnTheCurrentETag_412OnAStaleOne_404NoSuchKeyOnNoObject()
    {
        var first = await PutAsync("m.txt", "one", null);
        var second = await PutAsync("m.txt", "two", ("If-Match", first.ETag!));
        var stale = await PutAsync("m.txt", "three", ("If-Match", first.ETag!));
        var absent = await PutAsync("absent.txt", "x", ("If-Match", first.ETag!));

        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal(HttpStatusCode.NotFound, absent.Status);
        Assert.Contains("<Code>NoSuchKey</Code>", absent.Body, StringComparison.Ordinal);
        Assert.Equal("two", await _http.GetStringAsync(ObjectUrl("m.txt")));
    }

    [Fact]
    public async Task DeleteWithIfMatch_412OnAStaleETag_DeletesOnTheCurrentOne_404NoSuchKeyOnNoObject()
    {
        var first = await PutAsync("d.txt", "one", null);
        var second = await PutAsync("d.txt", "two", null);

        Assert.Equal(HttpStatusCode.PreconditionFailed, await DeleteAsync("d.txt", first.ETag!));
        Assert.Equal(HttpStatusCode.NoContent, await DeleteAsync("d.txt", second.ETag!));
        Assert.Equal(HttpStatusCode.NotFound, await DeleteAsync("d.txt", second.ETag!));
    }

    private string ObjectUrl(string key) => $"{Front.Endpoint}/{_bucket}/{key}";

    private async Task<(HttpStatusCode Status, string? ETag, string Body)> PutAsync(string key, string text, (string Name, string Value)? condition)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, ObjectUrl(key)) { Content = new StringContent(text) };
        if (condition is { } c) request.Headers.TryAddWithoutValidation(c.Name, c.Value);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, response.Headers.ETag?.Tag, await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpStatusCode> DeleteAsync(string key, string etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, ObjectUrl(key));
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }
}
