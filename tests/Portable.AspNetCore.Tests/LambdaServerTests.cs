using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Portable.AspNetCore.Tests.Fixtures;

namespace Portable.AspNetCore.Tests;

/// <summary>What the Lambda server does beyond answering as Kestrel: event shapes, refusals, the invocation's context.</summary>
[Collection(BridgeCollection.Name)]
public sealed class LambdaServerTests(BridgeFixture bridge)
{
    private static readonly TestRequest Hello = new("GET", "/hello/again", [], []);

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"Records\":[{\"eventSource\":\"aws:sqs\",\"body\":\"hi\"}]}")]
    [InlineData("{\"httpMethod\":\"GET\"}")]
    [InlineData("{\"rawPath\":\"/hello/x\",\"isBase64Encoded\":true,\"body\":\"***not base64***\",\"requestContext\":{\"http\":{\"method\":\"POST\"}}}")]
    public async Task EventThatIsNoReadableHttpRequest_PostsInvalidEvent_AndTheNextInvocationIsServed(string payload)
    {
        static bool Refusal((LogLevel Level, string Category, string Message, Exception? Exception) line)
            => line.Level == LogLevel.Warning && line.Message.Contains("the event cannot be read", StringComparison.Ordinal);
        var refusalsBefore = bridge.LambdaLogs.Lines.Count(Refusal);

        var outcome = await bridge.InvokeAsync(Encoding.UTF8.GetBytes(payload));

        Assert.Equal("error", outcome.Kind);
        Assert.Equal("Runtime.InvalidEvent", outcome.ErrorType);
        using var error = JsonDocument.Parse(outcome.Body);
        Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("errorMessage").GetString()));
        Assert.Equal(refusalsBefore + 1, bridge.LambdaLogs.Lines.Count(Refusal)); // logged once
        var next = await bridge.SendToLambdaAsync(Shape.HttpApi, Hello);
        Assert.Equal("Hello, again!", next.Text);
    }

    [Fact]
    public async Task SqsEvent_IsRefusedNamingTheHttpSourcesItTakes()
    {
        var outcome = await bridge.InvokeAsync("{\"Records\":[{\"eventSource\":\"aws:sqs\",\"body\":\"hi\"}]}"u8.ToArray());

        using var error = JsonDocument.Parse(outcome.Body);
        Assert.Contains("API Gateway", error.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExceptionEscapingThePipeline_IsLoggedWithTheRequestId_AndAnswered500WithoutItsMessage()
    {
        var raw = await bridge.InvokeAsync(EventShapes.Build(Shape.HttpApi, new TestRequest("GET", "/escape", [], [])));
        var answer = EventShapes.ReadResponse(raw.Body);

        Assert.Equal(500, answer.Status);
        Assert.Empty(answer.Body);
        Assert.DoesNotContain("secret", raw.Body, StringComparison.Ordinal);
        Assert.Contains(bridge.LambdaLogs.Lines, l => l.Level == LogLevel.Error && l.Exception?.Message == "secret-detail-that-must-not-leak" && l.Message.Contains("/escape", StringComparison.Ordinal));
        Assert.Equal("Hello, again!", (await bridge.SendToLambdaAsync(Shape.RestApi, Hello)).Text);
    }

    [Fact]
    public async Task ExceptionAfterTheResponseStarted_DropsWhatWasWritten_AndAnswers500()
    {
        // Kestrel would cut the connection; a buffered Lambda response has sent nothing yet, so it is replaced.
        var raw = await bridge.InvokeAsync(EventShapes.Build(Shape.HttpApi, new TestRequest("GET", "/partial", [], [])));
        var answer = EventShapes.ReadResponse(raw.Body);

        Assert.Equal(500, answer.Status);
        Assert.Empty(answer.Body);
        Assert.DoesNotContain("secret", raw.Body, StringComparison.Ordinal);
        Assert.Contains(bridge.LambdaLogs.Lines, l => l.Level == LogLevel.Error && l.Exception?.Message == "failed after the response started");
    }

    [Theory]
    [InlineData(Shape.HttpApi)]
    [InlineData(Shape.FunctionUrl)]
    public async Task CookiesSetByTheApp_AreV2CookiesArray_NotSetCookieHeaders(Shape shape)
    {
        var raw = await bridge.InvokeAsync(EventShapes.Build(shape, new TestRequest("GET", "/cookies/set", [], [])));

        using var response = JsonDocument.Parse(raw.Body);
        string[] cookies = [.. response.RootElement.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()!)];
        Assert.Equal(["session=abc123; path=/; httponly", "theme=dark; path=/"], cookies);
        Assert.False(response.RootElement.GetProperty("headers").TryGetProperty("Set-Cookie", out _));
    }

    [Fact]
    public async Task AlbMultiValueEvent_IsAnsweredWithMultiValueHeadersAndStatusDescription()
    {
        var raw = await bridge.InvokeAsync(EventShapes.Build(Shape.AlbMultiValue, new TestRequest("GET", "/cookies/set", [], [])));

        using var response = JsonDocument.Parse(raw.Body);
        Assert.Equal("200 OK", response.RootElement.GetProperty("statusDescription").GetString());
        Assert.Equal(2, response.RootElement.GetProperty("multiValueHeaders").GetProperty("Set-Cookie").GetArrayLength());
        Assert.False(response.RootElement.TryGetProperty("headers", out _));
    }

    [Theory]
    [InlineData("/download", true)]
    [InlineData("/hello/text", false)]
    public async Task ResponseBody_IsBase64UnlessItsContentTypeIsText(string path, bool base64)
    {
        var raw = await bridge.InvokeAsync(EventShapes.Build(Shape.RestApi, new TestRequest("GET", path, [], [])));

        using var response = JsonDocument.Parse(raw.Body);
        Assert.Equal(base64, response.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        if (base64) Assert.Equal(TestApp.Binary, Convert.FromBase64String(response.RootElement.GetProperty("body").GetString()!));
    }

    [Fact]
    public async Task BinaryUpload_RoundTripsByteForByte()
    {
        var upload = new TestRequest("POST", "/upload", [], [("Content-Type", "application/octet-stream")], TestApp.Binary, BinaryBody: true);
        foreach (var shape in Enum.GetValues<Shape>())
        {
            Assert.Equal(TestApp.Binary, (await bridge.SendToLambdaAsync(shape, upload)).Body);
        }
    }

    [Theory]
    [InlineData(Shape.RestApi, "testStage", "base=/testStage path=/where")]
    [InlineData(Shape.HttpApi, "prod", "base=/prod path=/where")]
    [InlineData(Shape.HttpApi, null, "base= path=/where")]
    [InlineData(Shape.AlbMultiValue, null, "base= path=/where")]
    public async Task NamedStageAtTheStartOfThePath_IsThePathBase(Shape shape, string? stage, string expected)
    {
        var answer = await bridge.SendToLambdaAsync(shape, new TestRequest("GET", "/where", [("q", "1 2")], []), stage);

        Assert.StartsWith(expected + " query=?q=1", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestApiPathWithoutTheStage_HasNoPathBase()
    {
        // API Gateway's own domain sends the path without the stage; the template's stage is "testStage".
        var answer = await bridge.SendToLambdaAsync(Shape.RestApi, new TestRequest("GET", "/where", [], []));

        Assert.Equal("base= path=/where query= scheme=https", answer.Text);
    }

    [Fact]
    public async Task SchemeComesFromXForwardedProto()
    {
        // The ALB sample was received on port 80: x-forwarded-proto http.
        var answer = await bridge.SendToLambdaAsync(Shape.AlbMultiValue, new TestRequest("GET", "/where", [], []));

        Assert.EndsWith("scheme=http", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LambdaInvocation_IsReachableFromHttpContext()
    {
        var payload = EventShapes.Build(Shape.HttpApi, new TestRequest("GET", "/invocation", [], []));
        var deadline = DateTimeOffset.UtcNow.AddMinutes(3).ToUnixTimeMilliseconds();
        var raw = await bridge.InvokeAsync(payload, new() { ["Lambda-Runtime-Deadline-Ms"] = deadline.ToString(CultureInfo.InvariantCulture) });
        var text = EventShapes.ReadResponse(raw.Body).Text;

        var id = text.Split(' ')[0]["id=".Length..];
        Assert.StartsWith("req-", id, StringComparison.Ordinal);
        Assert.Equal($"id={id} trace={id} arn=arn:aws:lambda:us-east-1:123456789012:function:test deadline={deadline} event={payload.Length} remote=1.2.3.4", text);
        Assert.Equal("none", (await bridge.SendToKestrelAsync(new TestRequest("GET", "/invocation", [], []))).Text);
    }

    [Fact]
    public async Task InvocationDeadline_SignalsRequestAborted()
    {
        var deadline = DateTimeOffset.UtcNow.AddMilliseconds(300).ToUnixTimeMilliseconds();
        var raw = await bridge.InvokeAsync(EventShapes.Build(Shape.HttpApi, new TestRequest("GET", "/deadline", [], [])),
            new() { ["Lambda-Runtime-Deadline-Ms"] = deadline.ToString(CultureInfo.InvariantCulture) });

        Assert.Equal("aborted", EventShapes.ReadResponse(raw.Body).Text);
    }

    [Fact]
    public async Task RequestServices_AreOneScopePerInvocation()
    {
        var first = (await bridge.SendToLambdaAsync(Shape.HttpApi, new TestRequest("GET", "/scoped", [], []))).Text;
        var second = (await bridge.SendToLambdaAsync(Shape.HttpApi, new TestRequest("GET", "/scoped", [], []))).Text;

        Assert.StartsWith("one scope ", first, StringComparison.Ordinal);
        Assert.StartsWith("one scope ", second, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
    }
}
