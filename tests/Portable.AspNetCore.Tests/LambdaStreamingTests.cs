using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable.AspNetCore.Tests.Fixtures;
using Portable.Aws.Tests.Fixtures;

namespace Portable.AspNetCore.Tests;

/// <summary>
/// Response streaming on Lambda: an app served with <c>Portable:Lambda:ResponseStreaming=true</c> answers function URL events
/// in the Runtime API's streaming mode, read by the fake Runtime API as it arrives.
/// </summary>
public sealed class LambdaStreamingTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly CapturedLogs _logs = new();
    private FakeRuntimeApi _runtime = null!;
    private WebApplication _app = null!;

    private StreamingApp.Gate Gate => _app.Services.GetRequiredService<StreamingApp.Gate>();

    public async Task InitializeAsync()
    {
        _runtime = await FakeRuntimeApi.StartAsync();
        _app = await StreamingApp.StartAsync(_runtime.Address, "true", _logs);
    }

    public async Task DisposeAsync()
    {
        Gate.Open();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _runtime.DisposeAsync();
    }

    [Fact]
    public async Task ResponseBodyWrites_TheFirstChunkIsPostedBeforeTheHandlerFinishes()
    {
        var outcome = _runtime.Enqueue(FunctionUrl("/stream/body"));
        var stream = await _runtime.WaitForStreamAsync().AsTask().WaitAsync(Wait);
        var (prelude, first) = await BodyOnceAsync(stream, "first\n");
        Assert.False(outcome.IsCompleted); // the handler still waits on the gate
        Gate.Open();
        var streamed = await outcome.WaitAsync(Wait);

        Assert.Equal("first\n", first);
        Assert.Equal(200, prelude.GetProperty("statusCode").GetInt32());
        Assert.Equal("text/plain", prelude.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.Equal("on-starting", prelude.GetProperty("headers").GetProperty("X-Started").GetString()); // OnStarting ran before the prelude left
        var (_, body) = Split(streamed.Bytes);
        Assert.Equal("first\nsecond\n", Encoding.UTF8.GetString(body));
        Assert.Null(streamed.ErrorType);
    }

    [Fact]
    public async Task ServerSentEvents_EachEventIsPostedAsItIsProduced()
    {
        var outcome = _runtime.Enqueue(FunctionUrl("/stream/sse"));
        var stream = await _runtime.WaitForStreamAsync().AsTask().WaitAsync(Wait);
        var (prelude, first) = await BodyOnceAsync(stream, "data: one\n\n");
        Assert.False(outcome.IsCompleted);
        Gate.Open();
        var streamed = await outcome.WaitAsync(Wait);

        Assert.Equal("text/event-stream", prelude.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.Equal("data: one\n\n", first);
        Assert.Equal("data: one\n\ndata: two\n\n", Encoding.UTF8.GetString(Split(streamed.Bytes).Body));
    }

    [Fact]
    public async Task AsyncEnumerableResult_TheFirstItemIsPostedBeforeTheSecondIsProduced()
    {
        var outcome = _runtime.Enqueue(FunctionUrl("/stream/items"));
        var stream = await _runtime.WaitForStreamAsync().AsTask().WaitAsync(Wait);
        var (_, first) = await BodyOnceAsync(stream, "[1");
        Assert.False(outcome.IsCompleted);
        Gate.Open();
        var streamed = await outcome.WaitAsync(Wait);

        Assert.Equal("[1", first);
        Assert.Equal("[1,2]", Encoding.UTF8.GetString(Split(streamed.Bytes).Body));
    }

    [Fact]
    public async Task Cookies_GoToThePreludesCookies_AndTheBodyFollowsTheEightNulsExactly()
    {
        var streamed = await _runtime.Enqueue(FunctionUrl("/stream/cookies")).WaitAsync(Wait);

        Assert.Equal("application/vnd.awslambda.http-integration-response", streamed.ContentType);
        var (prelude, body) = Split(streamed.Bytes);
        Assert.Equal("with cookies"u8.ToArray(), body);
        using var json = JsonDocument.Parse(prelude);
        var root = json.RootElement;
        Assert.Equal(["statusCode", "headers", "cookies"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(200, root.GetProperty("statusCode").GetInt32());
        Assert.Equal(["session=abc123; path=/; httponly", "theme=dark; path=/"], root.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()));
        var headers = root.GetProperty("headers");
        Assert.False(headers.TryGetProperty("Set-Cookie", out _));
        Assert.Equal("yes", headers.GetProperty("X-Custom").GetString());
        Assert.Equal("text/plain", headers.GetProperty("Content-Type").GetString());
    }

    [Fact]
    public async Task ExceptionAfterTheResponseStarted_EndsTheStreamWithTheErrorTrailers_AndIsLogged()
    {
        var streamed = await _runtime.Enqueue(FunctionUrl("/stream/fail")).WaitAsync(Wait);

        Assert.Equal("streamed", streamed.Kind);
        Assert.Equal("partial", Encoding.UTF8.GetString(Split(streamed.Bytes).Body));
        Assert.Equal("Unhandled", streamed.ErrorType);
        using var error = JsonDocument.Parse(streamed.ErrorBody!);
        Assert.Equal("InvalidOperationException", error.RootElement.GetProperty("errorType").GetString());
        Assert.Equal("failed after the response started", error.RootElement.GetProperty("errorMessage").GetString());
        Assert.Contains(_logs.Lines, l => l.Level == LogLevel.Error && l.Message.Contains("GET /stream/fail after", StringComparison.Ordinal) && l.Exception is InvalidOperationException);
        var next = await _runtime.Enqueue(FunctionUrl("/stream/cookies")).WaitAsync(Wait);
        Assert.Null(next.ErrorType); // the loop goes on
    }

    [Fact]
    public async Task ExceptionBeforeTheResponseStarted_IsA500PreludeWithNoBody_AndNothingOfItLeaks()
    {
        var streamed = await _runtime.Enqueue(FunctionUrl("/stream/fail-early")).WaitAsync(Wait);

        var (prelude, body) = Split(streamed.Bytes);
        using var json = JsonDocument.Parse(prelude);
        Assert.Equal(500, json.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Empty(body);
        Assert.Null(streamed.ErrorType);
        Assert.DoesNotContain("secret-detail", Encoding.UTF8.GetString(streamed.Bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpApiEvent_IsAnsweredBuffered_EvenWithStreamingOn()
    {
        var outcome = await _runtime.Enqueue(EventShapes.Build(Shape.HttpApi, new TestRequest("GET", "/stream/cookies", [], []))).WaitAsync(Wait);

        Assert.Equal("response", outcome.Kind);
        var answer = EventShapes.ReadResponse(outcome.Body);
        Assert.Equal("with cookies", answer.Text);
    }

    private static byte[] FunctionUrl(string path) => EventShapes.Build(Shape.FunctionUrl, new TestRequest("GET", path, [], []));

    /// <summary>Waits until the body after the prelude holds <paramref name="text"/>'s length; returns the prelude and that much body.</summary>
    private static async Task<(JsonElement Prelude, string Body)> BodyOnceAsync(StreamProgress stream, string text)
    {
        var preludeOnly = await stream.WaitForBytesAsync(1);
        var received = preludeOnly;
        while (Array.IndexOf(received, (byte)0) is var nul && (nul < 0 || received.Length < nul + 8 + text.Length))
        {
            received = await stream.WaitForBytesAsync(received.Length + 1);
        }

        var (prelude, body) = Split(received);
        return (JsonDocument.Parse(prelude).RootElement.Clone(), Encoding.UTF8.GetString(body));
    }

    /// <summary>The prelude JSON and the body: the eight NULs between them must be there, exactly.</summary>
    private static (byte[] Prelude, byte[] Body) Split(byte[] bytes)
    {
        var nul = Array.IndexOf(bytes, (byte)0);
        Assert.True(nul > 0, "no NUL after the prelude");
        Assert.True(bytes.Length >= nul + 8 && bytes.AsSpan(nul, 8).IndexOfAnyExcept((byte)0) < 0, "the prelude is not followed by eight NULs");
        return (bytes[..nul], bytes[(nul + 8)..]);
    }
}

/// <summary>Without the setting, a function URL event is answered buffered, as before.</summary>
public sealed class LambdaBufferedDefaultTests
{
    [Fact]
    public async Task FunctionUrlEvent_WithoutTheSetting_IsAnsweredWithOneBufferedResponse()
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();
        var app = await StreamingApp.StartAsync(runtime.Address, streaming: null);
        try
        {
            var outcome = await runtime.Enqueue(EventShapes.Build(Shape.FunctionUrl, new TestRequest("GET", "/stream/cookies", [], []))).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal("response", outcome.Kind);
            var answer = EventShapes.ReadResponse(outcome.Body);
            Assert.Equal("with cookies", answer.Text);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task UnknownSettingValue_FailsTheStart_NamingTheKeyAndTheValues()
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();

        var error = await Assert.ThrowsAsync<PortableConfigurationException>(() => StreamingApp.StartAsync(runtime.Address, "sometimes"));

        Assert.Contains("Portable:Lambda:ResponseStreaming", error.Message, StringComparison.Ordinal);
        Assert.Contains("RESPONSE_STREAM", error.Message, StringComparison.Ordinal);
    }
}
