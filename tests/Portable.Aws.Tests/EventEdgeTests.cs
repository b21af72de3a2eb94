using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable.Aws.Events;
using Portable.Aws.Runtime;
using Portable.Aws.Tests.Fixtures;
using Portable.Hosting;
using Portable.Testing;

namespace Portable.Aws.Tests;

/// <summary>
/// Malformed Lambda events through the event dispatch (the published vectors with one field broken, and worse): an HTTP
/// event answers 400 in its source's shape, a bad SQS record fails only itself, and anything else that cannot be read
/// refuses the event with <see cref="InvalidInputException"/> (the loop's <c>Runtime.InvalidEvent</c>); never another exception.
/// </summary>
public sealed class EventEdgeTests : IAsyncLifetime
{
    private const string Remove = "<remove>";

    private PortableTestHost _host = null!;

    private Recorder Recorder => _host.Services.GetRequiredService<Recorder>();

    public async Task InitializeAsync() => _host = await PortableTestHost.StartAsync(TestApp.Configure);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, string, string> BrokenHttpEvents => new()
    {
        { "aws-lambda-go/apigw-v2-request-no-authorizer.json", "headers", "5" },
        { "aws-lambda-go/apigw-v2-request-no-authorizer.json", "headers", """{"a":1}""" },
        { "aws-lambda-go/apigw-v2-request-no-authorizer.json", "headers", """{"a":{"b":"c"}}""" },
        { "aws-lambda-go/apigw-v2-request-no-authorizer.json", "body", "5" },
        { "aws-lambda-go/apigw-v2-request-no-authorizer.json", "body", """{"a":1}""" },
        { "aws-lambda-go/apigw-v2-request-no-authorizer.json", "isBase64Encoded", "\"yes\"" },
        { "aws-lambda-go/apigw-v2-request-jwt-authorizer.json", "isBase64Encoded", "true" },
        { "aws-lambda-go/apigw-v2-request-no-authorizer.json", "queryStringParameters", "[1]" },
        { "aws-lambda-go/apigw-v2-request-no-authorizer.json", "requestContext", "5" },
        { "aws-lambda-go/apigw-v2-request-no-authorizer.json", "requestContext.http", "\"GET\"" },
        { "aws-lambda-go/apigw-v2-request-no-authorizer.json", "rawPath", "5" },
        { "aws-lambda-go/apigw-v2-request-no-authorizer.json", "rawQueryString", "{}" },
        { "aws-lambda-go/apigw-v2-request-no-authorizer.json", "cookies", "\"a=1\"" },
        { "aws-lambda-go/lambda-urls-request.json", "headers", "[]" },
        { "aws-lambda-go/apigw-request.json", "multiValueHeaders", """{"Accept":[1]}""" },
        { "aws-lambda-go/apigw-request.json", "multiValueHeaders", "\"x\"" },
        { "aws-lambda-go/apigw-request.json", "multiValueQueryStringParameters", """{"a":{}}""" },
        { "aws-lambda-go/apigw-request.json", "httpMethod", "5" },
        { "aws-lambda-go/apigw-request.json", "path", Remove },
        { "aws-lambda-go/apigw-request.json", "httpMethod", "\"\"" },
        { "aws-lambda-go/apigw-v2-request-no-authorizer.json", "requestContext.http.method", "\" \"" },
        { "aws-lambda-go/alb-lambda-target-request-headers-only.json", "headers", "5" },
        { "aws-lambda-go/alb-lambda-target-request-multivalue-headers.json", "multiValueHeaders", """{"accept":"x","b":[null, 2]}""" },
        { "aws-lambda-go/alb-lambda-target-request-headers-only.json", "requestContext.elb", "[]" },
    };

    [Theory]
    [MemberData(nameof(BrokenHttpEvents))]
    public async Task HttpEvent_WithAFieldOfTheWrongType_Answers400ProblemInItsShapeAndLogsOnce(string vector, string path, string value)
    {
        _host.ClearLogs();

        var response = TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", Mutate(vector, path, value)));

        Assert.Equal(400, response.GetProperty("statusCode").GetInt32());
        var problem = TestEvents.Parse(response.GetProperty("body").GetString()!);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("Bad Request", problem.GetProperty("title").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Empty(Recorder.Of<object>());
        var refusal = Assert.Single(_host.Logs, l => l.Level >= LogLevel.Warning);
        Assert.Contains("refused as malformed", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpEvent_WithAnEscapedLoneSurrogateInItsPathOrAHeader_Answers400()
    {
        var inPath = TestEvents.HttpApi("GET", "/hello").Replace("\"rawPath\":\"/hello\"", "\"rawPath\":\"/a\\ud800\"", StringComparison.Ordinal);
        var inHeader = TestEvents.HttpApi("GET", "/hello").Replace("\"host\":\"api.example.com\"", "\"host\":\"\\udc00\"", StringComparison.Ordinal);
        Assert.Contains("\\ud800", inPath, StringComparison.Ordinal);
        Assert.Contains("\\udc00", inHeader, StringComparison.Ordinal);

        foreach (var json in new[] { inPath, inHeader })
        {
            var response = TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", json));

            Assert.Equal(400, response.GetProperty("statusCode").GetInt32());
        }

        Assert.Empty(Recorder.Of<object>());
    }

    [Fact]
    public async Task HttpEvent_WithAnAlbShapeAndABrokenHeaderMap_IsAnsweredInTheAlbShape()
    {
        var response = TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", Mutate("aws-lambda-go/alb-lambda-target-request-headers-only.json", "headers", "5")));

        Assert.Equal(400, response.GetProperty("statusCode").GetInt32());
        Assert.Equal("400 Bad Request", response.GetProperty("statusDescription").GetString());
    }

    [Fact]
    public async Task HttpEvent_WithABase64BodyAndAnEscapedSlash_IsDecoded()
    {
        var json = TestEvents.HttpApi("POST", "/anything", contentType: "text/plain", base64: true);
        json = json[..^1] + ",\"body\":\"aGk\\/Pz8=\"}"; // base64 of "hi???" is "aGk/Pz8=": here its '/' is escaped, as JSON allows

        var echo = TestEvents.Parse(TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", json)).GetProperty("body").GetString()!);

        Assert.Equal("hi???", echo.GetProperty("body").GetString());
    }

    [Fact]
    public async Task HttpEvent_WithAnEscapedLoneSurrogateInItsBody_Answers400()
    {
        var json = TestEvents.HttpApi("POST", "/anything", contentType: "text/plain");
        json = json[..^1] + ",\"body\":\"a\\ud800b\"}";

        var response = TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", json));

        Assert.Equal(400, response.GetProperty("statusCode").GetInt32());
        Assert.Empty(Recorder.Of<object>());
    }

    [Theory]
    [InlineData("Echo", "")]
    [InlineData("JobHandler", "   \r\n")]
    [InlineData("Tick", "this is { not json")]
    [InlineData("JobHandler", "{\"id\":\"1\",")]
    [InlineData("JobHandler", "[1,2]")]
    [InlineData("JobHandler", "5")]
    [InlineData("JobHandler", "null")]
    [InlineData("AlertHandler", "{\"Records\":{}}")]
    [InlineData("Echo", "[]")]
    [InlineData("Echo", "{\"a\":1}")]
    [InlineData("StorageHandler", "true")]
    [InlineData("JobHandler", """{"Records":5}""")]
    [InlineData("JobHandler", """{"Records":[]}""")]
    [InlineData("JobHandler", """{"Records":[{"messageId":"m-1","body":"{}"}]}""")]
    [InlineData("JobHandler", """{"Records":[{"eventSource":5,"messageId":"m-1","body":"{}"}]}""")]
    [InlineData("JobHandler", """{"Records":[{"EventSource":"aws:sns","Sns":{"Message":"{}"}}]}""")]
    [InlineData("StorageHandler", """{"Records":[{"eventSource":"aws:sqs","messageId":"m-1","body":"{}"}]}""")]
    [InlineData("JobHandler", """{"Records":[{"eventSource":"aws:sqs","messageId":"m-1","body":"{\"id\":\"1\"}"},{"eventSource":"aws:sqs","body":"{\"id\":\"2\"}"}]}""")]
    [InlineData("JobHandler", """{"Records":[{"eventSource":"aws:sqs","messageId":"","body":"{}"}]}""")]
    [InlineData("JobHandler", """{"Records":[{"eventSource":"aws:sqs","messageId":7,"body":"{}"}]}""")]
    [InlineData("JobHandler", """{"Records":[5]}""")]
    [InlineData("JobHandler", """{"Records":[{"eventSource":"aws:sqs","messageId":"\ud800","body":"{}"}]}""")]
    [InlineData("JobHandler", """{"Records":[{"eventSource":"\udc00","messageId":"m-1","body":"{}"}]}""")]
    [InlineData("StorageHandler", """{"Records":[{"eventSource":"aws:s3","s3":{"object":{"key":"a\ud800"}}}]}""")]
    [InlineData("AlertHandler", """{"Records":[{"EventSource":"aws:sns","Sns":5}]}""")]
    [InlineData("AlertHandler", """{"Records":[{"EventSource":"aws:sns","Sns":{"Message":5}}]}""")]
    [InlineData("AlertHandler", """{"Records":[{"EventSource":"aws:sns","Sns":{"Message":"hi","MessageAttributes":5}}]}""")]
    [InlineData("AlertHandler", """{"Records":[{"EventSource":"aws:sns"}]}""")]
    [InlineData("AlertHandler", """{"Records":[{"EventSource":"aws:sns","Sns":{"Message":"a"}},{"Sns":{"Message":"b"}}]}""")]
    [InlineData("StorageHandler", """{"Records":[{"eventSource":"aws:s3","s3":5}]}""")]
    [InlineData("StorageHandler", """{"Records":[{"eventSource":"aws:s3","eventTime":"x"}]}""")]
    [InlineData("StorageHandler", """{"Records":[{"eventSource":"aws:s3","eventTime":5}]}""")]
    [InlineData("StorageHandler", """{"Records":[{"eventSource":"aws:s3","eventName":[]}]}""")]
    [InlineData("StorageHandler", """{"Records":[{"eventSource":"aws:s3","s3":{"object":{"key":5}}}]}""")]
    [InlineData("StorageHandler", """{"Records":[{"eventSource":"aws:s3","s3":{"bucket":"b"}}]}""")]
    [InlineData("StorageHandler", """{"Records":[{"eventSource":"aws:s3"},{"eventSource":"aws:sqs"}]}""")]
    [InlineData("StorageHandler", """{"source":"aws.s3","detail-type":5,"detail":{}}""")]
    [InlineData("StorageHandler", """{"source":"aws.s3","detail-type":"Object Created","time":"x","detail":{}}""")]
    [InlineData("StorageHandler", """{"source":"aws.s3","detail-type":"Object Created","detail":"str"}""")]
    [InlineData("StorageHandler", """{"source":"aws.s3","detail-type":"Object Created","resources":5,"detail":{}}""")]
    [InlineData("StorageHandler", """{"source":5,"detail-type":"Object Created","detail":{}}""")]
    [InlineData("StorageHandler", """{"source":"aws.s3","detail-type":"","detail":{}}""")]
    [InlineData("Tick", """{"source":"aws.events","detail-type":"Scheduled Event","time":5,"detail":{}}""")]
    [InlineData("Tick", """{"source":"aws.events","detail-type":"Scheduled Event","time":"yesterday","detail":{}}""")]
    [InlineData("Tick", """{"source":"aws.events","detail-type":"Object Created","detail":{}}""")]
    [InlineData("Tick", """{"source":"aws.events","detail-type":null}""")]
    public async Task Event_ThatCannotBeRead_IsRefusedAsInvalidInputAndReachesNoFunction(string function, string json)
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => DispatchAsync(function, Encoding.UTF8.GetBytes(json)));

        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.Empty(Recorder.Of<object>());
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D })] // {"a":"\xC3("}
    [InlineData(new byte[] { 0xFF, 0xFE, 0x7B, 0x7D })]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })] // a byte-order mark and nothing
    public async Task Event_ThatIsNotUtf8OrIsEmpty_IsRefusedAsInvalidInput(byte[] payload)
    {
        foreach (var function in new[] { "Echo", "JobHandler", "AlertHandler", "Tick", "StorageHandler" })
        {
            await Assert.ThrowsAsync<InvalidInputException>(() => DispatchAsync(function, payload));
        }

        Assert.Empty(Recorder.Of<object>());
    }

    [Fact]
    public async Task Event_NestedDeeperThanTheReaderAllows_IsRefusedAsInvalidInput()
    {
        var deep = Encoding.UTF8.GetBytes("{\"Records\":" + new string('[', 100_000) + new string(']', 100_000) + "}");

        foreach (var function in new[] { "Echo", "JobHandler", "AlertHandler", "Tick", "StorageHandler" })
        {
            var e = await Assert.ThrowsAsync<InvalidInputException>(() => DispatchAsync(function, deep));

            Assert.Contains("depth", e.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task SqsBatch_WithBadRecords_FailsOnlyThoseRecordsHandlesTheOthersAndLogsEachRefusalOnce()
    {
        _host.ClearLogs();
        var batch = JsonNode.Parse(TestEvents.Sqs([
            ("good-1", "{\"id\":\"1\",\"fail\":false}", 1),
            ("body-number", "{}", 1),
            ("no-source", "{\"id\":\"3\",\"fail\":false}", 1),
            ("wrong-source", "{\"id\":\"4\",\"fail\":false}", 1),
            ("no-body", "{}", 1),
            ("not-json", "this is not json", 1),
            ("attributes-number", "{\"id\":\"7\",\"fail\":false}", 1),
            ("ill-typed-message", "{\"id\":5,\"fail\":\"no\"}", 1),
            ("good-2", "{\"id\":\"9\",\"fail\":false}", 1)]))!;
        var records = batch["Records"]!.AsArray();
        records[1]!["body"] = 5;
        records[2]!.AsObject().Remove("eventSource");
        records[3]!["eventSource"] = "aws:kinesis";
        records[4]!.AsObject().Remove("body");
        records[6]!["attributes"] = 5;

        var failed = await _host.Aws().InvokeSqsAsync("JobHandler", batch.ToJsonString());

        string[] bad = ["body-number", "no-source", "wrong-source", "no-body", "not-json", "attributes-number", "ill-typed-message"];
        Assert.Equal(bad, failed);
        Assert.Equal(["1", "9"], Recorder.Of<Seen<Job>>().Select(s => s.Value.Id));
        foreach (var id in bad)
        {
            Assert.Single(_host.Logs, l => l.Level == LogLevel.Warning && (l.Message.Contains(id, StringComparison.Ordinal) || l.InvocationId == id));
        }

        Assert.DoesNotContain(_host.Logs, l => l.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task SqsBatch_ForATopicFunction_WithABadRecord_FailsOnlyThatRecord()
    {
        var batch = JsonNode.Parse(TestEvents.Sqs([("good", "hello", 1), ("bad", "x", 1)]))!;
        batch["Records"]![1]!["body"] = new JsonArray();

        var failed = await _host.Aws().InvokeSqsAsync("AlertHandler", batch.ToJsonString());

        Assert.Equal(["bad"], failed);
        Assert.Equal("hello", Encoding.UTF8.GetString(Assert.Single(Recorder.Of<Seen<Notification>>()).Value.Utf8Body.Span));
    }

    [Fact]
    public async Task SqsBatch_WithARecordWithoutAMessageId_IsRefusedWholeBeforeAnyRecordIsHandled()
    {
        var batch = JsonNode.Parse(TestEvents.Sqs([("first", "{\"id\":\"1\",\"fail\":false}", 1), ("second", "{\"id\":\"2\",\"fail\":false}", 1)]))!;
        batch["Records"]![1]!.AsObject().Remove("messageId");

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => _host.Aws().InvokeAsync("JobHandler", batch.ToJsonString()));

        Assert.Contains("SQS record 1 has no messageId", e.Message, StringComparison.Ordinal);
        Assert.Empty(Recorder.Of<Seen<Job>>());
    }

    [Fact]
    public async Task HttpFunction_InvokedDirectlyWithJsonThatIsNotAnHttpEvent_IsStillADirectInvocation()
    {
        var output = await _host.Aws().InvokeAsync("Add", """{"a":2,"b":3}""");

        Assert.Equal(5, TestEvents.Parse(output).GetProperty("sum").GetInt32());
    }

    private Task<ReadOnlyMemory<byte>> DispatchAsync(string function, byte[] payload)
    {
        var executor = new FunctionExecutor("aws", _host.Services, _host.App.TimeProvider);
        var dispatcher = new AwsEventDispatcher(
            _host.App.Catalog,
            executor,
            new HttpDispatcher(_host.App.Catalog, executor, _host.Services.GetService<ILogger<HttpDispatcher>>()),
            _host.Services.GetService<ILogger<AwsEventDispatcher>>());
        return dispatcher.DispatchAsync(_host.App.Catalog.Get(function), new LambdaInvocation { RequestId = "edge-1", Payload = payload }, default);
    }

    /// <summary>A published vector with the field at <paramref name="path"/> (dotted) set to the JSON <paramref name="value"/>, or removed.</summary>
    private static string Mutate(string vector, string path, string value)
    {
        var root = JsonNode.Parse(Vectors.Read(vector))!.AsObject();
        var names = path.Split('.');
        var parent = root;
        foreach (var name in names[..^1]) parent = parent[name]!.AsObject();
        if (value == Remove) parent.Remove(names[^1]);
        else parent[names[^1]] = JsonNode.Parse(value);
        return root.ToJsonString();
    }
}
