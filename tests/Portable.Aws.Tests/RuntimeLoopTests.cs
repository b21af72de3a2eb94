using System.Globalization;
using System.Text.Json;
using Portable.Aws.Tests.Fixtures;

namespace Portable.Aws.Tests;

/// <summary>The custom-runtime loop against an in-test server playing the Lambda Runtime API 2018-06-01.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class RuntimeLoopTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Next_WithAnHttpApiEvent_PostsTheResponse()
    {
        await using var runtime = await RuntimeHarness.StartAsync("Hello");

        var outcome = await runtime.Api.Enqueue(TestEvents.HttpApi("GET", "/hello", "name=Ada")).WaitAsync(Wait);

        Assert.Equal("response", outcome.Kind);
        var response = TestEvents.Parse(outcome.Body);
        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        Assert.Contains("Ada", response.GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_WhenHttpFunctionThrows_Answers500ProblemWithInvocationIdAndKeepsPolling()
    {
        await using var runtime = await RuntimeHarness.StartAsync("Boom");

        var failed = await runtime.Api.Enqueue(TestEvents.HttpApi("GET", "/boom")).WaitAsync(Wait);
        var next = await runtime.Api.Enqueue(TestEvents.HttpApi("GET", "/hello", "name=Grace")).WaitAsync(Wait);

        Assert.Equal("response", failed.Kind);
        var response = TestEvents.Parse(failed.Body);
        Assert.Equal(500, response.GetProperty("statusCode").GetInt32());
        var problem = TestEvents.Parse(response.GetProperty("body").GetString()!);
        var invocationId = problem.GetProperty("invocationId").GetString();
        Assert.False(string.IsNullOrEmpty(invocationId));
        Assert.DoesNotContain("boom", failed.Body, StringComparison.Ordinal);
        Assert.Equal("response", next.Kind);
        Assert.Contains("Grace", next.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_WhenADirectlyInvokedFunctionThrows_PostsUnhandledErrorAndKeepsPolling()
    {
        await using var runtime = await RuntimeHarness.StartAsync("JobHandler");

        var failed = await runtime.Api.Enqueue("""{"id":"j-1","fail":true}""").WaitAsync(Wait);
        var next = await runtime.Api.Enqueue("""{"id":"j-2","fail":false}""").WaitAsync(Wait);

        Assert.Equal("error", failed.Kind);
        Assert.Equal("Unhandled", failed.ErrorType);
        var error = TestEvents.Parse(failed.Body);
        Assert.Equal("InvalidOperationException", error.GetProperty("errorType").GetString());
        Assert.Contains("j-1 failed on purpose", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(0, error.GetProperty("stackTrace").GetArrayLength());
        Assert.Equal("response", next.Kind);
    }

    [Fact]
    public async Task Next_WithAnEventThatIsNotJson_PostsAnErrorForThatInvocationAndAnswersTheNext()
    {
        await using var runtime = await RuntimeHarness.StartAsync("Hello");

        var bad = await runtime.Api.Enqueue("this is { not json").WaitAsync(Wait);
        var good = await runtime.Api.Enqueue(TestEvents.HttpApi("GET", "/hello", "name=Ada")).WaitAsync(Wait);

        Assert.Equal("error", bad.Kind);
        Assert.Equal("Runtime.InvalidEvent", bad.ErrorType);
        Assert.Equal("InvalidInputException", TestEvents.Parse(bad.Body).GetProperty("errorType").GetString());
        Assert.Equal("response", good.Kind);
        Assert.Contains("Ada", good.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_WithAnSqsBatchWhoseSecondRecordFails_PostsExactlyThatMessageIdInBatchItemFailures()
    {
        await using var runtime = await RuntimeHarness.StartAsync("JobHandler");

        var outcome = await runtime.Api.Enqueue(TestEvents.Sqs([
            ("first", "{\"id\":\"1\",\"fail\":false}", 1),
            ("second", "{\"id\":\"2\",\"fail\":true}", 1),
            ("third", "{\"id\":\"3\",\"fail\":false}", 1)])).WaitAsync(Wait);

        Assert.Equal("response", outcome.Kind);
        Assert.Equal("{\"batchItemFailures\":[{\"itemIdentifier\":\"second\"}]}", outcome.Body);
    }

    [Fact]
    public async Task Start_WithAnUnknownHandler_PostsInitErrorAndExitsNonZero()
    {
        await using var runtime = await RuntimeHarness.StartAsync("NoSuchFunction");

        var init = await runtime.Api.InitError.WaitAsync(Wait);
        var exitCode = await runtime.Loop.WaitAsync(Wait);

        Assert.Equal(1, exitCode);
        Assert.Equal("Runtime.InitError", init.ErrorType);
        var error = TestEvents.Parse(init.Body);
        Assert.Equal("PortableConfigurationException", error.GetProperty("errorType").GetString());
        Assert.Contains("NoSuchFunction", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Contains("Hello", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Response_OverTheRuntimeApiLimit_IsLoggedAndPostedAsAnErrorAndTheLoopGoesOn()
    {
        await using var runtime = await RuntimeHarness.StartAsync("Big");

        var big = await runtime.Api.Enqueue(TestEvents.HttpApi("GET", "/big")).WaitAsync(Wait);
        var next = await runtime.Api.Enqueue(TestEvents.HttpApi("GET", "/hello", "name=Ada")).WaitAsync(Wait);

        Assert.Equal("error", big.Kind);
        Assert.Equal("Runtime.ResponseRefused", big.ErrorType);
        Assert.Contains("413", TestEvents.Parse(big.Body).GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Single(runtime.Api.RefusedResponses);
        Assert.Contains(runtime.LogLines(), l => l.Contains("\"level\":\"ERROR\"", StringComparison.Ordinal) && l.Contains("413", StringComparison.Ordinal));
        Assert.Equal("response", next.Kind);
    }

    [Fact]
    public async Task Deadline_ReachesTheContextAndCancelsTheTokenBeforeItPasses()
    {
        await using var runtime = await RuntimeHarness.StartAsync("Slow");
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeMilliseconds());

        var outcome = await runtime.Api.Enqueue(TestEvents.HttpApi("GET", "/slow"), new Dictionary<string, string>
        {
            ["Lambda-Runtime-Deadline-Ms"] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        }).WaitAsync(Wait);

        Assert.Equal(503, TestEvents.Parse(outcome.Body).GetProperty("statusCode").GetInt32());
        Assert.True(outcome.ReceivedAt < deadline, $"the response arrived at {outcome.ReceivedAt:O}, after the deadline {deadline:O}");
        var log = runtime.LogLines();
        Assert.DoesNotContain(log, l => l.Contains("\"level\":\"ERROR\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TraceIdAndClientFacts_SetTheEnvironmentVariableAndTheContext()
    {
        await using var runtime = await RuntimeHarness.StartAsync("Trace");
        const string trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        var deadline = DateTimeOffset.UtcNow.AddMinutes(3);

        var outcome = await runtime.Api.Enqueue(TestEvents.HttpApi("GET", "/trace"), new Dictionary<string, string>
        {
            ["Lambda-Runtime-Trace-Id"] = trace,
            ["Lambda-Runtime-Deadline-Ms"] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["Lambda-Runtime-Client-Context"] = "{\"client\":{\"app_title\":\"orders\"}}",
            ["Lambda-Runtime-Cognito-Identity"] = "{\"cognitoIdentityId\":\"us-east-1:abc\"}",
        }).WaitAsync(Wait);

        var view = JsonSerializer.Deserialize(TestEvents.Parse(outcome.Body).GetProperty("body").GetString()!, TestJson.Default.TraceView)!;
        Assert.Equal(trace, view.Env);
        // The context is the invocation's own span: the X-Ray trace, a new span id whose parent is the header's, sampled.
        Assert.Matches("^00-5759e988bd862e3fe1be46a994272793-[0-9a-f]{16}-01$", view.TraceParent);
        Assert.DoesNotContain("53995c3f42cd8ad8", view.TraceParent, StringComparison.Ordinal);
        Assert.Equal("{\"client\":{\"app_title\":\"orders\"}}", view.ClientContext);
        Assert.Equal("{\"cognitoIdentityId\":\"us-east-1:abc\"}", view.Cognito);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:test", view.FunctionArn);
        Assert.Equal(deadline.ToUnixTimeMilliseconds(), view.Deadline!.Value.ToUnixTimeMilliseconds());
        Assert.Equal("aws", view.Platform);
        Assert.StartsWith("req-", view.InvocationId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_AreJsonLinesCarryingTheRequestId()
    {
        await using var runtime = await RuntimeHarness.StartAsync("Boom");

        await runtime.Api.Enqueue(TestEvents.HttpApi("GET", "/boom")).WaitAsync(Wait);

        var lines = runtime.LogLines().Select(l => TestEvents.Parse(l)).ToList();
        var failure = Assert.Single(lines, l => l.GetProperty("level").GetString() == "ERROR");
        Assert.StartsWith("req-", failure.GetProperty("requestId").GetString(), StringComparison.Ordinal);
        Assert.Contains("Boom failed", failure.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("System.InvalidOperationException", failure.GetProperty("errorType").GetString());
        Assert.True(DateTimeOffset.TryParse(failure.GetProperty("timestamp").GetString(), CultureInfo.InvariantCulture, out _));
    }

    [Fact]
    public async Task OneProcess_AnswersAThousandInvocationsInOrder()
    {
        await using var runtime = await RuntimeHarness.StartAsync("Hello");

        var outcomes = Enumerable.Range(0, 1000).Select(i => runtime.Api.Enqueue(TestEvents.HttpApi("GET", "/hello", $"name=n{i}"))).ToList();
        var done = await Task.WhenAll(outcomes).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.All(done, o => Assert.Equal("response", o.Kind));
        Assert.Equal(1000, done.Select((o, i) => TestEvents.Parse(o.Body).GetProperty("body").GetString() == $"Hello, n{i}").Count(ok => ok));
        Assert.False(runtime.Loop.IsCompleted);
    }
}
