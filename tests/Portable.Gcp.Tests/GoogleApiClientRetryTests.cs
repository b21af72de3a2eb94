using System.Net;
using Portable.Gcp.Auth;

namespace Portable.Gcp.Tests;

/// <summary><see cref="GoogleApiClient.SendWithRetriesAsync"/>: which failures are tried again, how often, and what a lost answer's check does.</summary>
public sealed class GoogleApiClientRetryTests
{
    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task ATransientAnswer_IsRetried_AndTheNextAnswerIsReturned(HttpStatusCode transient)
    {
        var server = new ScriptedHandler(_ => new HttpResponseMessage(transient), _ => new HttpResponseMessage(HttpStatusCode.OK));

        using var response = await Client(server).SendWithRetriesAsync(Get, emulated: true, default);

        Assert.Equal(HttpStatusCode.OK, response!.StatusCode);
        Assert.Equal(2, server.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.NotImplemented)]
    public async Task AnotherAnswer_IsReturnedAtOnce(HttpStatusCode status)
    {
        var server = new ScriptedHandler(_ => new HttpResponseMessage(status));

        using var response = await Client(server).SendWithRetriesAsync(Get, emulated: true, default);

        Assert.Equal(status, response!.StatusCode);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task ANetworkFailure_IsRetried_AndTheLastOneIsThrown_AfterMaxAttempts()
    {
        var server = new ScriptedHandler(_ => throw new HttpRequestException("connection reset (test)"));

        await Assert.ThrowsAsync<HttpRequestException>(() => Client(server).SendWithRetriesAsync(Get, emulated: true, default));

        Assert.Equal(GoogleApiClient.MaxAttempts, server.Requests);
    }

    [Fact]
    public async Task APersistent503_IsReturned_AfterMaxAttempts()
    {
        var server = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));

        using var response = await Client(server).SendWithRetriesAsync(Get, emulated: true, default);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response!.StatusCode);
        Assert.Equal(GoogleApiClient.MaxAttempts, server.Requests);
    }

    [Fact]
    public async Task ALostAnswer_WhoseWriteIsFoundStored_IsNotRetried_AndReturnsNull()
    {
        var server = new ScriptedHandler(_ => throw new HttpRequestException("connection reset (test)"), _ => new HttpResponseMessage(HttpStatusCode.OK));
        var checks = 0;

        var response = await Client(server).SendWithRetriesAsync(Get, emulated: true, default, wasApplied: _ => Task.FromResult(++checks > 0));

        Assert.Null(response);
        Assert.Equal(1, checks);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task ALostAnswer_WhoseWriteIsNotStored_IsRetried_AndCountedInAttempts()
    {
        var server = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable), _ => new HttpResponseMessage(HttpStatusCode.OK));
        var attempts = new System.Runtime.CompilerServices.StrongBox<int>();

        using var response = await Client(server).SendWithRetriesAsync(Get, emulated: true, default, attempts, _ => Task.FromResult(false));

        Assert.Equal(HttpStatusCode.OK, response!.StatusCode);
        Assert.Equal(2, attempts.Value);
    }

    [Fact]
    public async Task ACancelledCall_StopsRetrying()
    {
        using var cancel = new CancellationTokenSource();
        var server = new ScriptedHandler(_ =>
        {
            cancel.Cancel();
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client(server).SendWithRetriesAsync(Get, emulated: true, cancel.Token));

        Assert.Equal(1, server.Requests);
    }

    private static HttpRequestMessage Get() => new(HttpMethod.Get, "http://firestore.test/v1/projects/p/databases/(default)/documents/c/d");

    private static GoogleApiClient Client(HttpMessageHandler handler)
    {
        var http = new HttpClient(handler);
        var settings = new GcpSettings { ProjectId = "p", FirestoreEmulatorHost = "firestore.test" };
        return new GoogleApiClient(http, new GoogleAccessTokenSource(http, settings, TimeProvider.System), settings);
    }

    /// <summary>Answers the n-th request with the n-th step (the last step again after that).</summary>
    private sealed class ScriptedHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] steps) : HttpMessageHandler
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _requests);
            return Task.FromResult(steps[Math.Min(n, steps.Length) - 1](request));
        }
    }
}
