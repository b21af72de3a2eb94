using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Portable.Aws.Runtime;
using Portable.Aws.Tests.Fixtures;

namespace Portable.Aws.Tests;

/// <summary>
/// The Runtime API's streaming response mode, written by our own HTTP/1.1 chunked client, against the fake Runtime API
/// (Kestrel reading the chunked body and its trailers).
/// </summary>
[Collection(RuntimeCollection.Name)]
public sealed class RuntimeStreamingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task StreamedResponse_FirstChunkReachesTheRuntimeApiBeforeTheHandlerReturns()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var loop = new LoopUnderTest(api, async (self, invocation, token) =>
        {
            var stream = await self.Loop.OpenResponseStreamAsync(invocation, "text/plain", token);
            await stream.WriteAsync("first,"u8.ToArray(), token);
            await release.Task.WaitAsync(token); // the test lets the handler finish only once it has seen the first chunk
            await stream.WriteAsync("second"u8.ToArray(), token);
            return ReadOnlyMemory<byte>.Empty;
        });

        var outcome = api.Enqueue("{}");
        var progress = await api.WaitForStreamAsync().AsTask().WaitAsync(Wait);
        var first = await progress.WaitForBytesAsync("first,".Length).WaitAsync(Wait);
        Assert.False(outcome.IsCompleted);
        release.SetResult();
        var streamed = await outcome.WaitAsync(Wait);

        Assert.Equal("first,", Encoding.UTF8.GetString(first));
        Assert.Equal("streamed", streamed.Kind);
        Assert.Equal("text/plain", streamed.ContentType);
        Assert.Equal("first,second", streamed.Body);
        Assert.Null(streamed.ErrorType);
    }

    [Fact]
    public async Task HttpResponseStream_SendsThePreludeJsonThenEightNulsThenTheBody_WithSetCookiesAsCookies()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var loop = new LoopUnderTest(api, async (self, invocation, token) =>
        {
            var head = new HttpResponseData(201);
            head.Headers.Add("Content-Type", "text/event-stream");
            head.Headers.Add("X-Many", "1");
            head.Headers.Add("X-Many", "2");
            head.Headers.Add("Set-Cookie", "a=1; Path=/");
            head.Headers.Add("Set-Cookie", "b=2");
            var stream = await self.Loop.OpenHttpResponseStreamAsync(invocation, head, token);
            await stream.WriteAsync("data: one\n\n"u8.ToArray(), token);
            await stream.CompleteAsync(token);
            return ReadOnlyMemory<byte>.Empty;
        });

        var streamed = await api.Enqueue("{}").WaitAsync(Wait);

        Assert.Equal(LambdaStreamingResponse.HttpIntegrationContentType, streamed.ContentType);
        byte[] expected =
        [
            .. """{"statusCode":201,"headers":{"Content-Type":"text/event-stream","X-Many":"1, 2"},"cookies":["a=1; Path=/","b=2"]}"""u8,
            0, 0, 0, 0, 0, 0, 0, 0,
            .. "data: one\n\n"u8,
        ];
        Assert.Equal(expected, streamed.Bytes);
        Assert.Null(streamed.ErrorType);
    }

    [Fact]
    public async Task HandlerThrowingAfterItStreamed_EndsTheStreamWithTheErrorTrailers_AndTheLoopAnswersTheNextEvent()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var loop = new LoopUnderTest(api, async (self, invocation, token) =>
        {
            if (Encoding.UTF8.GetString(invocation.Payload.Span).Contains("fail", StringComparison.Ordinal))
            {
                var stream = await self.Loop.OpenResponseStreamAsync(invocation, "text/plain", token);
                await stream.WriteAsync("partial"u8.ToArray(), token);
                throw new InvalidOperationException("broke mid-stream");
            }

            return Encoding.UTF8.GetBytes("""{"ok":true}""");
        });

        var failed = await api.Enqueue("""{"fail":true}""").WaitAsync(Wait);
        var next = await api.Enqueue("{}").WaitAsync(Wait);

        Assert.Equal("streamed", failed.Kind);
        Assert.Equal("partial", failed.Body);
        Assert.Equal("Unhandled", failed.ErrorType);
        using var error = JsonDocument.Parse(failed.ErrorBody!);
        Assert.Equal("InvalidOperationException", error.RootElement.GetProperty("errorType").GetString());
        Assert.Equal("broke mid-stream", error.RootElement.GetProperty("errorMessage").GetString());
        Assert.Contains(loop.Logs, line => line.Level == LogLevel.Error && line.Message.Contains("after 7 bytes", StringComparison.Ordinal));
        Assert.Equal("response", next.Kind);
        Assert.Equal("""{"ok":true}""", next.Body);
    }

    [Fact]
    public async Task StreamTheHandlerLeavesOpen_IsCompletedByTheLoop_AndWhatTheHandlerReturnsIsNotPosted()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var loop = new LoopUnderTest(api, async (self, invocation, token) =>
        {
            var stream = await self.Loop.OpenResponseStreamAsync(invocation, "application/octet-stream", token);
            await stream.WriteAsync(new byte[] { 0, 1, 2, 255 }, token);
            return Encoding.UTF8.GetBytes("not posted");
        });

        var streamed = await api.Enqueue("{}").WaitAsync(Wait);

        Assert.Equal("streamed", streamed.Kind);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, streamed.Bytes);
        Assert.Null(streamed.ErrorType);
    }

    [Fact]
    public async Task RuntimeApiRefusingTheStream_GivesAnErrorWithItsStatusAndAnswer_AndTheLoopGoesOn()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        api.StreamAnswerStatus = 400;
        var refusal = new TaskCompletionSource<HttpRequestException>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var loop = new LoopUnderTest(api, async (self, invocation, token) =>
        {
            if (Encoding.UTF8.GetString(invocation.Payload.Span).Contains("stream", StringComparison.Ordinal))
            {
                var stream = await self.Loop.OpenResponseStreamAsync(invocation, "text/plain", token);
                await stream.WriteAsync("x"u8.ToArray(), token);
                refusal.SetResult(await Assert.ThrowsAsync<HttpRequestException>(() => stream.CompleteAsync(token)));
                return ReadOnlyMemory<byte>.Empty;
            }

            return Encoding.UTF8.GetBytes("""{"ok":true}""");
        });

        _ = api.Enqueue("""{"stream":true}""");
        var error = await refusal.Task.WaitAsync(Wait);
        var next = await api.Enqueue("{}").WaitAsync(Wait);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("answered 400", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused by the test", error.Message, StringComparison.Ordinal);
        Assert.Equal("response", next.Kind);
    }

    [Fact]
    public async Task OpeningAStreamForAnInvocationThatIsNotBeingHandled_Throws()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var loop = new LoopUnderTest(api, (_, _, _) => Task.FromResult(ReadOnlyMemory<byte>.Empty));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            loop.Loop.OpenResponseStreamAsync(new LambdaInvocation { RequestId = "req-elsewhere" }, "text/plain", default));

        Assert.Contains("req-elsewhere is not being handled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpeningAStream_WhenTheRuntimeApiCannotBeReached_ThrowsAnErrorNamingWhere()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => ChunkedResponsePost.OpenAsync($"127.0.0.1:{port}", "req-1", "text/plain", default));

        Assert.Contains($"cannot connect to the Runtime API at 127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamOfAnInvocationPastItsDeadline_IsCancelled_AndTheInvocationAnsweredWithAnError()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var loop = new LoopUnderTest(api, async (self, invocation, token) =>
        {
            await self.Loop.OpenResponseStreamAsync(invocation, "text/plain", token);
            return ReadOnlyMemory<byte>.Empty;
        });

        var past = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var outcome = await api.Enqueue("{}", new() { ["Lambda-Runtime-Deadline-Ms"] = past }).WaitAsync(Wait);

        Assert.Equal("error", outcome.Kind);
        Assert.Equal("Unhandled", outcome.ErrorType);
        using var error = JsonDocument.Parse(outcome.Body);
        Assert.EndsWith("CanceledException", error.RootElement.GetProperty("errorType").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A <see cref="LambdaRuntimeLoop"/> running against the fake, whose handler can reach the loop.</summary>
    private sealed class LoopUnderTest : IAsyncDisposable, ILogger
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _running;

        public LoopUnderTest(FakeRuntimeApi api, Func<LoopUnderTest, LambdaInvocation, CancellationToken, Task<ReadOnlyMemory<byte>>> handler)
        {
            Loop = LambdaRuntimeLoop.Create(api.Address, (invocation, token) => handler(this, invocation, token), this);
            _running = Task.Run(() => Loop.RunAsync(_stop.Token));
        }

        public LambdaRuntimeLoop Loop { get; }

        public ConcurrentQueue<(LogLevel Level, string Message)> Logs { get; } = new();

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _running.WaitAsync(Wait);
            }
            catch (OperationCanceledException)
            {
            }

            Loop.Dispose();
            _stop.Dispose();
        }

        IDisposable? ILogger.BeginScope<TState>(TState state) => null;

        bool ILogger.IsEnabled(LogLevel logLevel) => true;

        void ILogger.Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Logs.Enqueue((logLevel, formatter(state, exception)));
    }
}
