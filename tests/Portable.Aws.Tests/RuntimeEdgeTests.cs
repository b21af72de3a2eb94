using System.Text;
using System.Text.Json.Nodes;
using Portable.Aws.Tests.Fixtures;

namespace Portable.Aws.Tests;

/// <summary>Malformed events through the real loop against the in-test Runtime API: each answered clearly and logged once, and the next event served.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class RuntimeEdgeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public static TheoryData<string> UnreadableQueueEvents => new()
    {
        "",
        "[1,2]",
        "\"text\"",
        """{"Records":[{"messageId":"m-1","body":"{}"}]}""",
        """{"Records":[{"eventSource":"aws:sqs","body":"{}"}]}""",
        """{"Records":5}""",
        new string('[', 5000) + new string(']', 5000),
    };

    [Theory]
    [MemberData(nameof(UnreadableQueueEvents))]
    public async Task Next_WithAnUnreadableEvent_PostsRuntimeInvalidEventLogsOneLineAndServesTheNext(string bad)
    {
        await using var runtime = await RuntimeHarness.StartAsync("JobHandler");

        var refused = await runtime.Api.Enqueue(bad).WaitAsync(Wait);
        var good = await runtime.Api.Enqueue("""{"id":"j-1","fail":false}""").WaitAsync(Wait);

        Assert.Equal("error", refused.Kind);
        Assert.Equal("Runtime.InvalidEvent", refused.ErrorType);
        var error = TestEvents.Parse(refused.Body);
        Assert.Equal("InvalidInputException", error.GetProperty("errorType").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("errorMessage").GetString()));
        Assert.Equal("response", good.Kind);
        var lines = runtime.LogLines();
        Assert.Single(lines, l => l.Contains("\"level\":\"WARN", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("\"level\":\"ERROR\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Next_WithAnEventThatIsNotUtf8_PostsRuntimeInvalidEventAndServesTheNext()
    {
        await using var runtime = await RuntimeHarness.StartAsync("JobHandler");

        var refused = await runtime.Api.Enqueue([0x7B, 0x22, 0x69, 0x64, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D]).WaitAsync(Wait);
        var good = await runtime.Api.Enqueue("""{"id":"j-1","fail":false}""").WaitAsync(Wait);

        Assert.Equal("Runtime.InvalidEvent", refused.ErrorType);
        Assert.Contains("UTF-8", TestEvents.Parse(refused.Body).GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal("response", good.Kind);
    }

    [Fact]
    public async Task Next_WithAnHttpEventWhoseHeadersAreANumber_Answers400AndServesTheNext()
    {
        await using var runtime = await RuntimeHarness.StartAsync("Hello");
        var broken = JsonNode.Parse(TestEvents.HttpApi("GET", "/hello", "name=Ada"))!;
        broken["headers"] = 5;

        var refused = await runtime.Api.Enqueue(broken.ToJsonString()).WaitAsync(Wait);
        var good = await runtime.Api.Enqueue(TestEvents.HttpApi("GET", "/hello", "name=Grace")).WaitAsync(Wait);

        Assert.Equal("response", refused.Kind);
        var response = TestEvents.Parse(refused.Body);
        Assert.Equal(400, response.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/problem+json", response.GetProperty("headers").GetProperty("Content-Type").GetString()!.Split(';')[0]);
        Assert.Contains("headers", TestEvents.Parse(response.GetProperty("body").GetString()!).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("response", good.Kind);
        Assert.Contains("Grace", good.Body, StringComparison.Ordinal);
        Assert.Single(runtime.LogLines(), l => l.Contains("refused as malformed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Next_WithAnSqsBatchWithAnUnreadableRecord_FailsThatRecordOnlyAndServesTheNext()
    {
        await using var runtime = await RuntimeHarness.StartAsync("JobHandler");
        var batch = JsonNode.Parse(TestEvents.Sqs([("good", "{\"id\":\"1\",\"fail\":false}", 1), ("bad", "{}", 1)]))!;
        batch["Records"]![1]!["body"] = new JsonObject();

        var outcome = await runtime.Api.Enqueue(Encoding.UTF8.GetBytes(batch.ToJsonString())).WaitAsync(Wait);
        var next = await runtime.Api.Enqueue("""{"id":"j-2","fail":false}""").WaitAsync(Wait);

        Assert.Equal("response", outcome.Kind);
        Assert.Equal("{\"batchItemFailures\":[{\"itemIdentifier\":\"bad\"}]}", outcome.Body);
        Assert.Equal("response", next.Kind);
        Assert.Single(runtime.LogLines(), l => l.Contains("\"level\":\"WARN", StringComparison.Ordinal) && l.Contains("bad", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Next_WithAFiveMegabyteBase64Body_ReadWithOrWithoutAContentLength_ReachesTheFunctionWhole(bool chunked)
    {
        await using var runtime = await RuntimeHarness.StartAsync("Echo");
        var text = string.Create(3_900_000, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = (char)('a' + (i % 26));
        });
        var json = TestEvents.HttpApi("POST", "/big-echo", body: Convert.ToBase64String(Encoding.UTF8.GetBytes(text)), base64: true, contentType: "text/plain");
        Assert.True(json.Length > 5_000_000, "the event is over 5 MB");
        var headers = chunked ? new Dictionary<string, string> { ["X-Test-Chunked"] = "1" } : null;

        var outcome = await runtime.Api.Enqueue(json, headers).WaitAsync(Wait);
        var next = await runtime.Api.Enqueue(TestEvents.HttpApi("GET", "/small")).WaitAsync(Wait);

        Assert.Equal("response", outcome.Kind);
        var echo = TestEvents.Parse(TestEvents.Parse(outcome.Body).GetProperty("body").GetString()!);
        Assert.Equal(text, echo.GetProperty("body").GetString());
        Assert.Equal("response", next.Kind);
    }
}
