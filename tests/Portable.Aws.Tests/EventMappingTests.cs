using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portable.Aws.Tests.Fixtures;
using Portable.Testing;

namespace Portable.Aws.Tests;

/// <summary>The published AWS sample events, handed to functions through the Portable.Testing AWS driver.</summary>
public sealed class EventMappingTests : IAsyncLifetime
{
    private PortableTestHost _host = null!;

    private Recorder Recorder => _host.Services.GetRequiredService<Recorder>();

    public async Task InitializeAsync() => _host = await PortableTestHost.StartAsync(TestApp.Configure);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RestApiVector_ReachesTheRoutedFunctionWithMethodPathQueryHeadersAndBody()
    {
        var response = TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", Vectors.Read("aws-lambda-go/apigw-request.json")));

        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        Assert.True(response.TryGetProperty("multiValueHeaders", out _), "a REST API response carries multiValueHeaders");
        Assert.False(response.TryGetProperty("cookies", out _));
        var echo = Echo(response);
        Assert.Equal("POST", echo.Method);
        Assert.Equal("/hello/world", echo.Path);
        Assert.Equal(["me"], echo.Query["name"]);
        Assert.Equal(["no-cache"], Header(echo, "Cache-Control"));
        Assert.Equal("{\r\n\t\"a\": 1\r\n}", echo.Body);
        Assert.Equal("hello/world", echo.Route["path"]);
    }

    [Theory]
    [InlineData("aws-lambda-go/apigw-v2-request-jwt-authorizer.json")]
    [InlineData("aws-lambda-go/apigw-v2-request-iam.json")]
    [InlineData("aws-lambda-go/apigw-v2-request-lambda-authorizer.json")]
    [InlineData("aws-lambda-go/lambda-urls-request.json")]
    public async Task HttpApiAndFunctionUrlVectors_ReachTheFunctionWithRepeatedQueryValuesAndCookies(string vector)
    {
        var response = TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", Vectors.Read(vector)));

        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        var echo = Echo(response);
        Assert.Equal("/my/path", echo.Path);
        Assert.Equal(["value1", "value2"], echo.Query["parameter1"]);
        Assert.Equal(["value"], echo.Query["parameter2"]);
        Assert.Equal("cookie1; cookie2", Header(echo, "Cookie").Single());
    }

    [Fact]
    public async Task HttpApiVectorWithoutAuthorizer_IsAGetOnTheRoot()
    {
        var echo = Echo(TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", Vectors.Read("aws-lambda-go/apigw-v2-request-no-authorizer.json"))));

        Assert.Equal("GET", echo.Method);
        Assert.Equal("/", echo.Path);
        Assert.Equal("", echo.Body);
        Assert.Equal(["curl/7.58.0"], Header(echo, "User-Agent"));
    }

    [Fact]
    public async Task HttpApiResponse_HasCookiesAndJoinedHeadersLikeTheFunctionUrlResponseVector()
    {
        var vector = TestEvents.Parse(Vectors.Read("aws-lambda-go/lambda-urls-response.json"));
        var response = TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", Vectors.Read("aws-lambda-go/lambda-urls-request.json")));

        Assert.Equal(FieldNames(vector), FieldNames(response));
        Assert.Equal(["a=1; Path=/", "b=2"], response.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()!).ToArray());
        Assert.Equal("one,two", response.GetProperty("headers").GetProperty("X-Multi").GetString());
        Assert.False(response.GetProperty("headers").TryGetProperty("Set-Cookie", out _));
        Assert.False(response.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Fact]
    public async Task DotnetHttpApiVector_WithABomAndABodyThatIsNotBase64_AnswersBadRequestInTheHttpApiShape()
    {
        var bytes = Vectors.ReadBytes("aws-lambda-dotnet/http-api-v2-request.json");
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);

        var response = TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", Encoding.UTF8.GetString(bytes)));

        Assert.Equal(400, response.GetProperty("statusCode").GetInt32());
        Assert.Contains("base64", response.GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlbVectorWithSingleValueHeaders_IsAnsweredWithHeadersAndAStatusDescription()
    {
        var response = TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", Vectors.Read("aws-lambda-go/alb-lambda-target-request-headers-only.json")));

        Assert.Equal("200 OK", response.GetProperty("statusDescription").GetString());
        Assert.True(response.TryGetProperty("headers", out _));
        Assert.False(response.TryGetProperty("multiValueHeaders", out _));
        var echo = Echo(response);
        Assert.Equal("GET", echo.Method);
        Assert.Equal(["hello"], echo.Query["key"]);
    }

    [Fact]
    public async Task AlbVectorWithMultiValueHeaders_IsAnsweredWithMultiValueHeadersLikeTheResponseVector()
    {
        var vector = TestEvents.Parse(Vectors.Read("aws-lambda-go/alb-lambda-target-response.json"));
        var response = TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", Vectors.Read("aws-lambda-go/alb-lambda-target-request-multivalue-headers.json")));

        Assert.Equal(vector.GetProperty("statusDescription").GetString(), response.GetProperty("statusDescription").GetString());
        Assert.False(response.TryGetProperty("headers", out _));
        Assert.Equal(["a=1; Path=/", "b=2"], response.GetProperty("multiValueHeaders").GetProperty("Set-Cookie").EnumerateArray().Select(c => c.GetString()!).ToArray());
        Assert.Equal(["one", "two"], response.GetProperty("multiValueHeaders").GetProperty("X-Multi").EnumerateArray().Select(c => c.GetString()!).ToArray());
        Assert.Equal(["*/*"], Header(Echo(response), "Accept"));
    }

    [Fact]
    public async Task RestApiResponse_HasTheFieldsOfTheResponseVector()
    {
        var vector = TestEvents.Parse(Vectors.Read("aws-lambda-go/apigw-response.json"));
        var response = TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", Vectors.Read("aws-lambda-go/apigw-request.json")));

        Assert.Empty(FieldNames(vector).Except(FieldNames(response)));
        Assert.Equal(["a=1; Path=/", "b=2"], response.GetProperty("multiValueHeaders").GetProperty("Set-Cookie").EnumerateArray().Select(c => c.GetString()!).ToArray());
        Assert.Equal("application/json; charset=utf-8", response.GetProperty("headers").GetProperty("Content-Type").GetString());
    }

    [Fact]
    public async Task BinaryBodies_AreDecodedOnTheWayInAndBase64EncodedOnTheWayOut()
    {
        var echo = TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", TestEvents.HttpApi("POST", "/upload", body: Convert.ToBase64String("héllo"u8.ToArray()), base64: true)));
        Assert.Equal("héllo", Echo(echo).Body);

        var binary = TestEvents.Parse(await _host.Aws().InvokeAsync("Binary", TestEvents.HttpApi("GET", "/binary")));
        Assert.True(binary.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(Binary.Bytes, Convert.FromBase64String(binary.GetProperty("body").GetString()!));
    }

    [Fact]
    public async Task HttpEvents_AreRoutedByMethodAndPathWhateverTheHandlerNames()
    {
        var add = TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", TestEvents.HttpApi("POST", "/add", body: "{\"a\":2,\"b\":3}", contentType: "application/json")));
        Assert.Equal(200, add.GetProperty("statusCode").GetInt32());
        Assert.Equal("{\"sum\":5}", add.GetProperty("body").GetString());

        var otherMethod = TestEvents.Parse(await _host.Aws().InvokeAsync("Binary", TestEvents.HttpApi("DELETE", "/binary")));
        Assert.Equal("DELETE", Echo(otherMethod).Method);
    }

    [Fact]
    public async Task TypedFunction_InvokedDirectlyWithPlainJson_ReturnsItsOutput()
    {
        Assert.Equal("{\"sum\":42}", await _host.Aws().InvokeAsync("Add", "{\"a\":40,\"b\":2}"));
    }

    [Fact]
    public async Task SqsVector_WhoseBodyIsNotAJob_IsReportedAsABatchItemFailure()
    {
        var failed = await _host.Aws().InvokeSqsAsync("JobHandler", Vectors.Read("aws-lambda-go/sqs-event.json"));

        Assert.Equal(["MessageID_1"], failed);
    }

    [Fact]
    public async Task SqsBatchOfThree_WhoseSecondFails_ReturnsExactlyThatMessageIdInTheShapeOfTheResponseVectors()
    {
        var sqs = TestEvents.Sqs([
            ("m-1", "{\"id\":\"1\",\"fail\":false}", 1),
            ("m-2", "{\"id\":\"2\",\"fail\":true}", 3),
            ("m-3", "{\"id\":\"3\",\"fail\":false}", 1)]);

        var raw = await _host.Aws().InvokeAsync("JobHandler", sqs);

        Assert.Equal("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-2\"}]}", raw);
        foreach (var vector in new[] { "aws-lambda-dotnet/sqs-response.json", "aws-lambda-rust-runtime/example-sqs-batch-response.json" })
        {
            var expected = TestEvents.Parse(Encoding.UTF8.GetString(Vectors.ReadBytes(vector)).TrimStart('\uFEFF'));
            Assert.Equal(FieldNames(expected), FieldNames(TestEvents.Parse(raw)));
            Assert.Equal(FieldNames(expected.GetProperty("batchItemFailures")[0]), FieldNames(TestEvents.Parse(raw).GetProperty("batchItemFailures")[0]));
        }

        var seen = Recorder.Of<Seen<Job>>();
        Assert.Equal(["1", "2", "3"], seen.Select(s => s.Value.Id));
        Assert.Equal(3, seen.Single(s => s.Value.Id == "2").Context.DeliveryAttempt);
        Assert.Equal("m-2", seen.Single(s => s.Value.Id == "2").Context.InvocationId);
    }

    [Fact]
    public async Task SnsVector_ReachesTheTopicFunctionWithSubjectAndAttributes()
    {
        Assert.Equal("", await _host.Aws().InvokeAsync("AlertHandler", Vectors.Read("aws-lambda-go/sns-event.json")));

        var seen = Assert.Single(Recorder.Of<Seen<Notification>>()).Value;
        Assert.Equal("alerts", seen.Topic);
        Assert.Equal("Hello from SNS!", seen.Body);
        Assert.Equal("TestInvoke", seen.Subject);
        Assert.Equal("TestString", seen.Attributes["Test"]);
    }

    [Fact]
    public async Task SqsVector_ForATopicFunction_IsARawNotificationWithItsReceiveCount()
    {
        var failed = await _host.Aws().InvokeSqsAsync("AlertHandler", Vectors.Read("aws-lambda-go/sqs-event.json"));

        Assert.Empty(failed);
        var seen = Assert.Single(Recorder.Of<Seen<Notification>>());
        Assert.Equal("Message Body", seen.Value.Body);
        Assert.Equal(2, seen.Context.DeliveryAttempt);
    }

    [Theory]
    [InlineData("aws-lambda-dotnet/scheduled-event.json", "1970-01-01T00:00:00Z")]
    [InlineData("aws-lambda-rust-runtime/example-eventbridge-schedule.json", "2015-10-08T16:53:06Z")]
    public async Task ScheduledEventVectors_ReachTheScheduleFunctionWithTheirTime(string vector, string time)
    {
        await _host.Aws().InvokeAsync("Tick", Encoding.UTF8.GetString(Vectors.ReadBytes(vector)));

        var seen = Assert.Single(Recorder.Of<Seen<ScheduledEvent>>()).Value;
        Assert.Equal(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture), seen.ScheduledTime);
        Assert.Equal("*/5 * * * *", seen.Cron);
        Assert.Equal("Tick", seen.FunctionName);
    }

    [Fact]
    public async Task S3NotificationVector_IsACloudEventWithTheDecodedKeyAsSubject()
    {
        await _host.Aws().InvokeAsync("StorageHandler", Vectors.Read("aws-lambda-go/s3-event.json"));

        var e = Assert.Single(Recorder.Of<Seen<CloudEvent>>()).Value;
        Assert.Equal("aws.s3.ObjectCreated:Put", e.Type);
        Assert.Equal("arn:aws:s3:::sourcebucket", e.Source);
        Assert.Equal("Happy Face.jpg", e.Subject);
        Assert.Equal(1024, e.Data!.Value.GetProperty("s3").GetProperty("object").GetProperty("size").GetInt32());
    }

    [Theory]
    [InlineData("aws-lambda-dotnet/cloudwatchevents-s3objectcreated.json", "Object Created", "aws.s3", "17793124-05d4-b198-2fde-7ededc63b103")]
    [InlineData("aws-lambda-rust-runtime/example-eventbridge-event-obj.json", "EC2 Instance State-change Notification", "aws.ec2", "7bf73129-1428-4cd3-a780-95db273d1602")]
    public async Task EventBridgeVectors_AreCloudEventsWithTheDetailAsData(string vector, string type, string source, string id)
    {
        await _host.Aws().InvokeAsync("StorageHandler", Encoding.UTF8.GetString(Vectors.ReadBytes(vector)));

        var e = Assert.Single(Recorder.Of<Seen<CloudEvent>>()).Value;
        Assert.Equal(type, e.Type);
        Assert.Equal(source, e.Source);
        Assert.Equal(id, e.Id);
        Assert.Equal(JsonValueKind.Object, e.Data!.Value.ValueKind);
    }

    [Fact]
    public async Task AnEventThatIsNotJson_IsRefusedAsInvalidInput()
    {
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => _host.Aws().InvokeAsync("Hello", "this is not json"));

        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelloOverHttpApi_AnswersWithTheName()
    {
        var response = TestEvents.Parse(await _host.Aws().InvokeAsync("Hello", TestEvents.HttpApi("GET", "/hello", "name=Ada")));

        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        Assert.Equal("Hello, Ada", response.GetProperty("body").GetString());
    }

    private static EchoView Echo(JsonElement response)
    {
        var body = response.GetProperty("body").GetString()!;
        if (response.TryGetProperty("isBase64Encoded", out var b) && b.GetBoolean()) body = Encoding.UTF8.GetString(Convert.FromBase64String(body));
        return JsonSerializer.Deserialize(body, TestJson.Default.EchoView)!;
    }

    private static string[] Header(EchoView echo, string name) => echo.Headers.Single(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string[] FieldNames(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
