using System.Text.Json;
using Portable.Testing;

namespace Portable.Azure.Tests;

/// <summary>Every request vector, handed to the function it was written for through the Testing driver (the adapter's own invocation code).</summary>
public sealed class PayloadVectorTests : IAsyncLifetime
{
    private readonly Probe _probe = new();
    private PortableTestHost _host = null!;

    public async Task InitializeAsync() => _host = await PortableTestHost.StartAsync(TestApp.Configure(_probe));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task QueueTriggerVector_ReachesTheQueueFunction_WithDequeueCountIdAndInsertionTime()
    {
        var result = await _host.Azure().InvokeAsync("ProcessOrder", Vectors.Authored("request.queue-trigger.json"), "inv-queue-1");

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(JsonValueKind.Object, result.Outputs.ValueKind);
        Assert.Equal(JsonValueKind.Null, result.ReturnValue.ValueKind);
        var seen = _probe.Single("ProcessOrder");
        Assert.Equal(new QueueItem(1005, 2), seen.Input);
        Assert.Equal("inv-queue-1", seen.InvocationId);
        Assert.Equal("azure", seen.Platform);
        Assert.Equal(1, seen.DeliveryAttempt);
        Assert.Equal("6f1c2a8e-3b7d-4e59-9a61-0c2f4d8b7e13", seen.Properties["azure.queue.id"]);
        Assert.Equal(1, seen.Properties["azure.queue.dequeueCount"]);
        Assert.Equal(DateTimeOffset.Parse("2026-11-23T12:00:00+00:00", System.Globalization.CultureInfo.InvariantCulture), seen.Properties["azure.queue.insertionTime"]);
    }

    [Fact]
    public async Task QueueTrigger_ThirdDequeue_IsTheThirdDeliveryAttempt()
    {
        var payload = AzureTestDriver.QueuePayload("""{"orderId":7,"quantity":1}""", dequeueCount: 3, messageId: "m-3");
        var result = await _host.Azure().InvokeAsync("ProcessOrder", payload);

        Assert.True(result.Succeeded, result.Json);
        Assert.Equal(3, _probe.Single("ProcessOrder").DeliveryAttempt);
    }

    [Fact]
    public async Task QueueTrigger_WhenTheFunctionThrows_AnswersNon2xxSoTheHostRetries()
    {
        var result = await _host.Azure().InvokeAsync("ProcessOrder", AzureTestDriver.QueuePayload("""{"orderId":7,"quantity":-1}"""));

        Assert.Equal(500, result.StatusCode);
        Assert.Contains(result.Logs, l => l.Contains("negative quantity", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QueueTrigger_WithAnUnreadableMessage_AnswersNon2xxWhenNoPoisonQueueIsConfigured()
    {
        var result = await _host.Azure().InvokeAsync("ProcessOrder", AzureTestDriver.QueuePayload("not json"));

        Assert.Equal(400, result.StatusCode);
        Assert.Contains(result.Logs, l => l.Contains("refused the message", StringComparison.Ordinal));
        Assert.Empty(_probe.Seen);
    }

    [Fact]
    public async Task HttpTriggerVector_NotForwarded_MapsDataReqAndAnswersTheResOutput()
    {
        var result = await _host.Azure().InvokeAsync("order", Vectors.Authored("request.http-trigger.json"), "inv-http-1");

        Assert.Equal(200, result.StatusCode);
        var res = result.Outputs.GetProperty("res");
        Assert.Equal("201", res.GetProperty("statusCode").GetString());
        Assert.Equal("""POST /order source=web ct=application/json body={"id":1005,"quantity":2,"color":"black"}""", res.GetProperty("body").GetString());
        Assert.Equal("inv-http-1", res.GetProperty("headers").GetProperty("X-Invocation").GetString());
        Assert.StartsWith("text/plain", res.GetProperty("headers").GetProperty("Content-Type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpResOutput_HasTheShapeOfTheResponseVector()
    {
        var vector = Vectors.Json("authored/custom-handler/response.http-res-and-queue.json");
        var result = await _host.Azure().InvokeAsync("order", Vectors.Authored("request.http-trigger.json"));

        var expected = vector.GetProperty("Outputs").GetProperty("res").EnumerateObject().Select(p => p.Name).Order();
        var actual = result.Outputs.GetProperty("res").EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(expected, actual);
        Assert.Equal(JsonValueKind.String, result.Outputs.GetProperty("res").GetProperty("statusCode").ValueKind);
        using var answer = JsonDocument.Parse(result.Json);
        Assert.Equal(vector.EnumerateObject().Select(p => p.Name), answer.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task QueueAnswer_HasTheShapeOfTheReturnOnlyVector()
    {
        var vector = Vectors.Json("authored/custom-handler/response.queue-return-only.json");
        var result = await _host.Azure().InvokeAsync("ProcessOrder", Vectors.Authored("request.queue-trigger.json"));

        using var answer = JsonDocument.Parse(result.Json);
        Assert.Equal(vector.EnumerateObject().Select(p => p.Name), answer.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Array, answer.RootElement.GetProperty("Logs").ValueKind);
    }

    [Fact]
    public async Task RetryContextVector_IsOnTheContext_AndSetsTheDeliveryAttempt()
    {
        var result = await _host.Azure().InvokeAsync("HttpTrigger", Vectors.Authored("request.http-trigger.with-retry-context.json"));

        Assert.Equal("201", result.Outputs.GetProperty("res").GetProperty("statusCode").GetString());
        var seen = _probe.Single("HttpTrigger");
        Assert.Equal(2, seen.DeliveryAttempt);
        Assert.Equal(1, seen.Properties["azure.retryCount"]);
        Assert.Equal(2, seen.Properties["azure.maxRetryCount"]);
        var retry = Assert.IsType<JsonElement>(seen.Properties["azure.retryContext"]);
        Assert.Equal(2, retry.GetProperty("MaxRetryCount").GetInt32());
        Assert.Equal("GET", ((HttpRequestData)seen.Input!).Method);
        Assert.Equal("/HttpTrigger", ((HttpRequestData)seen.Input!).Path);
    }

    [Fact]
    public async Task TimerTriggerVector_ReachesTheScheduleFunction_AtTheHostsTime()
    {
        var result = await _host.Azure().InvokeAsync("Poll", Vectors.Authored("request.timer-trigger.json"));

        Assert.True(result.Succeeded, result.Json);
        var seen = _probe.Single("Poll");
        var scheduled = Assert.IsType<ScheduledEvent>(seen.Input);
        Assert.Equal("Poll", scheduled.FunctionName);
        Assert.Equal("*/5 * * * *", scheduled.Cron);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), scheduled.ScheduledTime.AddTicks(-12345));
        Assert.Equal(false, seen.Properties["azure.timer.isPastDue"]);
    }

    [Fact]
    public async Task BlobTriggerVector_ReachesTheEventFunction_AsABlobCreatedCloudEvent()
    {
        var result = await _host.Azure().InvokeAsync("OnBlob", Vectors.Authored("request.blob-trigger.json"));

        Assert.True(result.Succeeded, result.Json);
        var cloudEvent = Assert.IsType<CloudEvent>(_probe.Single("OnBlob").Input);
        Assert.Equal("Microsoft.Storage.BlobCreated", cloudEvent.Type);
        Assert.Equal("a.json", cloudEvent.Subject);
        Assert.Equal("5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c", cloudEvent.Id);
        var data = cloudEvent.Data!.Value;
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/samples-in/a.json", data.GetProperty("url").GetString());
        Assert.Equal("application/json", data.GetProperty("contentType").GetString());
        Assert.Equal("""{"x":1}""", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(data.GetProperty("contentBase64").GetString()!)));
    }

    [Fact]
    public async Task EventGridTriggerVector_ReachesTheEventFunction_AsACloudEvent()
    {
        var result = await _host.Azure().InvokeAsync("OnEvent", Vectors.Authored("request.eventgrid-trigger.json"));

        Assert.True(result.Succeeded, result.Json);
        var cloudEvent = Assert.IsType<CloudEvent>(_probe.Single("OnEvent").Input);
        Assert.Equal("beb21a5e-401e-002b-3749-928517060431", cloudEvent.Id);
        Assert.Equal("Microsoft.Storage.BlobCreated", cloudEvent.Type);
        Assert.Equal("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct", cloudEvent.Source);
        Assert.Equal("/blobServices/default/containers/samples-in/blobs/a.json", cloudEvent.Subject);
        Assert.Equal("PutBlob", cloudEvent.Data!.Value.GetProperty("api").GetString());
    }

    [Theory]
    [InlineData(Vectors.EventGridBlobCreated)]
    [InlineData(Vectors.CloudEventsBlobCreated)]
    public async Task PublishedBlobCreatedSamples_InBothSchemas_ReachTheEventFunctionAlike(string vector)
    {
        var result = await _host.Azure().InvokeAsync("OnEvent", Vectors.EventPayload(Vectors.Text(vector)));

        Assert.True(result.Succeeded, result.Json);
        var cloudEvent = Assert.IsType<CloudEvent>(_probe.Single("OnEvent").Input);
        Assert.Equal("beb21a5e-401e-002b-3749-928517060431", cloudEvent.Id);
        Assert.Equal("Microsoft.Storage.BlobCreated", cloudEvent.Type);
        Assert.Equal("/blobServices/default/containers/gaocontainer/blobs/Template1.xlsx", cloudEvent.Subject);
        Assert.Equal(new DateTimeOffset(2021, 8, 16, 2, 51, 26, TimeSpan.Zero).AddTicks(4248221), cloudEvent.Time);
        Assert.Equal(17555, cloudEvent.Data!.Value.GetProperty("contentLength").GetInt32());
        Assert.StartsWith("/subscriptions/faa080af", cloudEvent.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventGridEventGivenAsJsonText_IsReadLikeAnObject()
    {
        var text = JsonSerializer.Serialize(Vectors.Text(Vectors.EventGridBlobCreated), TestJsonStrings.Default.String);
        var result = await _host.Azure().InvokeAsync("OnEvent", """{"Data":{"event":""" + text + """},"Metadata":{}}""");

        Assert.True(result.Succeeded, result.Json);
        Assert.Equal("Microsoft.Storage.BlobCreated", Assert.IsType<CloudEvent>(_probe.Single("OnEvent").Input).Type);
    }

    [Fact]
    public async Task EventOfAnotherType_IsSkippedWithALogLine_AndSucceeds()
    {
        var other = Vectors.Text(Vectors.EventGridBlobCreated).Replace("Microsoft.Storage.BlobCreated", "Microsoft.Storage.BlobDeleted", StringComparison.Ordinal);
        var result = await _host.Azure().InvokeAsync("OnEvent", Vectors.EventPayload(other));

        Assert.Equal(200, result.StatusCode);
        Assert.Contains(result.Logs, l => l.Contains("skipped", StringComparison.Ordinal));
        Assert.Empty(_probe.Seen);
    }

    [Fact]
    public async Task EventWithoutAType_Answers400()
    {
        var result = await _host.Azure().InvokeAsync("OnEvent", Vectors.EventPayload("""{"id":"1","subject":"x"}"""));

        Assert.Equal(400, result.StatusCode);
        Assert.Empty(_probe.Seen);
    }

    [Fact]
    public async Task TopicFunction_GetsTheEventGridEventAsANotification()
    {
        var cloudEvent = """{"specversion":"1.0","id":"n-1","source":"/portable/test/topics/notices","type":"Portable.Notification","subject":"hi","region":"eu","data":{"a":1}}""";
        var result = await _host.Azure().InvokeAsync("OnNotice", Vectors.EventPayload(cloudEvent));

        Assert.True(result.Succeeded, result.Json);
        var notification = Assert.IsType<Notification>(_probe.Single("OnNotice").Input);
        Assert.Equal("notices", notification.Topic);
        Assert.Equal("""{"a":1}""", notification.Body);
        Assert.Equal("hi", notification.Subject);
        Assert.Equal("eu", notification.Attributes["region"]);
        Assert.Equal("n-1", notification.DeduplicationId);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TopicFunction_GetsANonAsciiMegabyteBodyAsTheNotifierSentIt(bool json)
    {
        var text = "héllo \"wörld\" ✓ 🎉\n" + new string('ж', 500_000);
        var body = json ? "{\"note\":" + JsonSerializer.Serialize(text) + "}" : text;
        var batch = Portable.Azure.Data.EventGridNotifier.Encode("test", new Notification("notices", body), "n-2", DateTimeOffset.UnixEpoch);
        using var sent = JsonDocument.Parse(batch);

        var result = await _host.Azure().InvokeAsync("OnNotice", Vectors.EventPayload(sent.RootElement[0].GetRawText()));

        Assert.True(result.Succeeded, result.Json);
        var notification = Assert.IsType<Notification>(_probe.Single("OnNotice").Input);
        Assert.Equal(body, notification.Body);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(body), notification.Utf8Body.ToArray());
    }

    [Fact]
    public async Task TypedHttpFunction_NotForwarded_AnswersItsJsonInRes()
    {
        var payload = """{"Data":{"req":{"Url":"http://localhost:7071/upper","Method":"POST","Query":{},"Headers":{"Content-Type":["application/json"]},"Body":"{\"text\":\"ada\"}"}},"Metadata":{}}""";
        var result = await _host.Azure().InvokeAsync("Upper", payload);

        var res = result.Outputs.GetProperty("res");
        Assert.Equal("200", res.GetProperty("statusCode").GetString());
        Assert.Equal("""{"text":"ADA"}""", res.GetProperty("body").GetString());
    }

    [Fact]
    public async Task TypedHttpFunction_WithAnInvalidBody_AnswersA400ProblemInRes()
    {
        var payload = """{"Data":{"req":{"Url":"http://localhost:7071/upper","Method":"POST","Headers":{"Content-Type":["application/json"]},"Body":"{\"text\":"}},"Metadata":{}}""";
        var result = await _host.Azure().InvokeAsync("Upper", payload);

        Assert.Equal(200, result.StatusCode);
        var res = result.Outputs.GetProperty("res");
        Assert.Equal("400", res.GetProperty("statusCode").GetString());
        Assert.Equal("application/problem+json", res.GetProperty("headers").GetProperty("Content-Type").GetString());
    }

    [Fact]
    public async Task HttpFunctionThatThrows_Answers500ProblemInRes_WithTheInvocationId()
    {
        var payload = """{"Data":{"req":{"Url":"http://localhost:7071/throws","Method":"GET"}},"Metadata":{}}""";
        var result = await _host.Azure().InvokeAsync("Throws", payload, "inv-boom");

        var res = result.Outputs.GetProperty("res");
        Assert.Equal("500", res.GetProperty("statusCode").GetString());
        Assert.Contains("inv-boom", res.GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"Metadata":{}}""")]
    [InlineData("""{"Data":[],"Metadata":{}}""")]
    public async Task MalformedPayload_Answers400(string payload)
    {
        var result = await _host.Azure().InvokeAsync("ProcessOrder", payload);

        Assert.Equal(400, result.StatusCode);
        Assert.NotEmpty(result.Logs);
    }

    [Fact]
    public async Task UnknownFunction_Answers404NamingTheFunctions()
    {
        var result = await _host.Azure().InvokeAsync("Nope", AzureTestDriver.QueuePayload("{}"));

        Assert.Equal(404, result.StatusCode);
        Assert.Contains(result.Logs, l => l.Contains("ProcessOrder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PayloadWithManyValuesAndNoTriggerName_Answers400()
    {
        var result = await _host.Azure().InvokeAsync("ProcessOrder", """{"Data":{"a":"1","b":"2"},"Metadata":{}}""");

        Assert.Equal(400, result.StatusCode);
    }
}
