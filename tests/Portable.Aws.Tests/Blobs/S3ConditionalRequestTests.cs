using System.Net;
using System.Text;
using Portable.Aws.Data;
using Portable.Blobs;

namespace Portable.Aws.Tests.Blobs;

/// <summary>
/// What S3BlobStore asks S3 for a conditional write or delete, and how it reads S3's refusals. fauxqs ignores these conditions
/// (it checks If-Match only on GetObject), so the requests are checked here, on the wire, against S3's documented answers.
/// </summary>
public sealed class S3ConditionalRequestTests : IDisposable
{
    private readonly Recording _handler = new();
    private readonly AwsConnection _connection;
    private readonly S3BlobStore _store;

    public S3ConditionalRequestTests()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9/",
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
            ["PORTABLE_BUCKET_RECEIPTS"] = "app-receipts-123",
        };
        _connection = new AwsConnection(name => environment.GetValueOrDefault(name), TimeProvider.System, _handler);
        _store = new S3BlobStore("receipts", _connection, new AwsResourceNames(name => environment.GetValueOrDefault(name)));
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public async Task PutWithNone_SendsIfNoneMatchStar_ToThePhysicalBucketPathStyle_AndA412IsAConflict()
    {
        _handler.Answer = HttpStatusCode.PreconditionFailed;

        var e = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.PutAsync("a b.txt", new MemoryStream("x"u8.ToArray()), new BlobPutOptions { Expected = ExpectedVersion.None }, default));

        var request = Assert.Single(_handler.Requests);
        Assert.Equal("PUT /app-receipts-123/a%20b.txt", request.Line);
        Assert.Equal("*", request.Headers["If-None-Match"]);
        Assert.Equal("UNSIGNED-PAYLOAD", request.Headers["x-amz-content-sha256"]);
        Assert.Contains("SignedHeaders=content-type;host;if-none-match;x-amz-content-sha256;x-amz-date,", request.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Contains("receipts", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutWithExactly_SendsTheQuotedETagInIfMatch_AndA409IsAConflict()
    {
        _handler.Answer = HttpStatusCode.Conflict;

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.PutAsync("a.txt", new MemoryStream([1]), new BlobPutOptions { Expected = ExpectedVersion.Exactly("abc") }, default));

        Assert.Equal("\"abc\"", Assert.Single(_handler.Requests).Headers["If-Match"]);
    }

    [Fact]
    public async Task DeleteWithExactly_SendsIfMatch_AndANoSuchKeyIsAConflict()
    {
        _handler.Answer = HttpStatusCode.NotFound;
        _handler.Body = "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>";

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.DeleteAsync("a.txt", ExpectedVersion.Exactly("abc"), default));

        var request = Assert.Single(_handler.Requests);
        Assert.Equal("DELETE /app-receipts-123/a.txt", request.Line);
        Assert.Equal("\"abc\"", request.Headers["If-Match"]);
    }

    [Fact]
    public async Task PutToAMissingBucket_IsTheServiceRefusal_NotAConflict()
    {
        _handler.Answer = HttpStatusCode.NotFound;
        _handler.Body = "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>";

        var e = await Assert.ThrowsAsync<AwsServiceException>(() => _store.PutAsync("a.txt", new MemoryStream([1]), new BlobPutOptions { Expected = ExpectedVersion.Exactly("abc") }, default));

        Assert.Equal("NoSuchBucket", e.ErrorCode);
    }

    private sealed class Recording : HttpMessageHandler
    {
        public HttpStatusCode Answer { get; set; } = HttpStatusCode.OK;

        public string Body { get; set; } = "";

        public List<(string Line, Dictionary<string, string> Headers)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            if (request.Content is not null) await request.Content.ReadAsByteArrayAsync(cancellationToken);
            Requests.Add(($"{request.Method} {request.RequestUri!.AbsolutePath}", headers));
            return new HttpResponseMessage(Answer) { Content = new StringContent(Body, Encoding.UTF8, "application/xml") };
        }
    }
}
