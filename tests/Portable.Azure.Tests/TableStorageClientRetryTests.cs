using System.Net;
using Portable.Azure.Data;

namespace Portable.Azure.Tests;

/// <summary>The Table client retries transient failures a bounded number of times, and nothing else.</summary>
public sealed class TableStorageClientRetryTests
{
    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task ATransientAnswer_IsRetried_AndTheRetrysAnswerSaysSo(HttpStatusCode transient)
    {
        var server = new ScriptedHandler(_ => new HttpResponseMessage(transient), _ => new HttpResponseMessage(HttpStatusCode.OK));

        using var response = await Client(server).SendAsync(HttpMethod.Get, "t(PartitionKey='a',RowKey='')", null, null, null, default);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.Requests);
        Assert.True(TableStorageClient.WasRetried(response));
    }

    [Fact]
    public async Task ANetworkError_IsRetried()
    {
        var server = new ScriptedHandler(_ => throw new HttpRequestException("reset"), _ => new HttpResponseMessage(HttpStatusCode.NoContent));

        using var response = await Client(server).SendAsync(HttpMethod.Delete, "t(PartitionKey='a',RowKey='')", null, null, "*", default);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(2, server.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.PreconditionFailed)]
    public async Task AnAnswerThatIsNotTransient_IsNotRetried(HttpStatusCode status)
    {
        var server = new ScriptedHandler(_ => new HttpResponseMessage(status));

        using var response = await Client(server).SendAsync(HttpMethod.Get, "t()", null, null, null, default);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(1, server.Requests);
        Assert.False(TableStorageClient.WasRetried(response));
    }

    [Fact]
    public async Task RetriesStopAfterMaxRetries_WithTheLastAnswer()
    {
        var server = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));

        using var response = await Client(server).SendAsync(HttpMethod.Get, "t()", null, null, null, default);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(4, server.Requests);
    }

    [Fact]
    public async Task ACancelledCall_IsNotRetried()
    {
        using var cancelled = new CancellationTokenSource();
        var server = new ScriptedHandler(_ =>
        {
            cancelled.Cancel();
            throw new OperationCanceledException(cancelled.Token);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client(server).SendAsync(HttpMethod.Get, "t()", null, null, null, cancelled.Token));
        Assert.Equal(1, server.Requests);
    }

    private static TableStorageClient Client(HttpMessageHandler handler)
        => new(new HttpClient(handler), StorageConnection.Parse("UseDevelopmentStorage=true")) { RetryDelay = TimeSpan.FromMilliseconds(1) };

    /// <summary>Answers each request with the next step of its script, the last step for every request after.</summary>
    private sealed class ScriptedHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] script) : HttpMessageHandler
    {
        private int _requests;

        public int Requests => _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var step = Interlocked.Increment(ref _requests) - 1;
            var response = script[Math.Min(step, script.Length - 1)](request);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }
}
