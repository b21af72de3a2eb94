using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portable.Azure.Bindings;
using Portable.Azure.Handler;
using Portable.Hosting;
using Portable.Testing;

namespace Portable.Azure.Tests;

/// <summary>
/// Tests that listen to the Portable source and meter: they run alone (a listener makes every queue in the process start producer
/// spans, which would change what other tests' sends carry).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Portable telemetry listeners";
}

/// <summary>What the traced functions saw: the invocation's span, and the trace header of the HTTP call one of them made.</summary>
public sealed class TraceProbe
{
    public ConcurrentDictionary<string, (string TraceId, string SpanId, string? ParentSpanId)> Spans { get; } = new();

    public ConcurrentQueue<Notification> Notices { get; } = new();

    public Uri? CallOut { get; set; }

    public void Record(FunctionContext context)
    {
        var span = Activity.Current!;
        Spans[context.InvocationId] = (span.TraceId.ToHexString(), span.SpanId.ToHexString(), span.ParentSpanId == default ? null : span.ParentSpanId.ToHexString());
    }
}

/// <summary>Sends a queue item (directly: it does not declare the queue), publishes a notice, and calls <see cref="TraceProbe.CallOut"/>.</summary>
public sealed class TracedSender(TraceProbe probe, IQueue<QueueItem> items, INotifier notifier) : IHttpFunction
{
    private static readonly HttpClient Http = new();

    public async Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        probe.Record(context);
        if (request.Query["send"] is { } id) await items.SendAsync(new QueueItem(int.Parse(id, System.Globalization.CultureInfo.InvariantCulture), 1), cancellationToken);
        if (request.Query["publish"] is not null) await notifier.PublishAsync(new Notification("notices", """{"a":1}""") { Attributes = new Dictionary<string, string> { ["kind"] = "k" } }, cancellationToken);
        if (request.Query["call"] is not null) (await Http.GetAsync(probe.CallOut, cancellationToken)).Dispose();
        return HttpResponseData.Text(200, context.Trace.TraceId);
    }
}

public sealed class TracedConsumer(TraceProbe probe) : IMessageHandler<QueueItem>
{
    public Task HandleAsync(QueueItem message, FunctionContext context, CancellationToken cancellationToken)
    {
        probe.Record(context);
        return message.Quantity < 0 ? throw new InvalidOperationException("negative quantity") : Task.CompletedTask;
    }
}

public sealed class TracedNotice(TraceProbe probe) : IMessageHandler<Notification>
{
    public Task HandleAsync(Notification message, FunctionContext context, CancellationToken cancellationToken)
    {
        probe.Record(context);
        probe.Notices.Enqueue(message);
        return Task.CompletedTask;
    }
}

[Collection(TelemetryCollection.Name)]
public sealed class TraceCarryTests : IAsyncLifetime, IDisposable
{
    private const string HostTraceParent = "00-11111111111111111111111111111111-2222222222222222-01";
    private readonly string _queue = Azurite.UniqueName("traced");
    private readonly TraceProbe _probe = new();
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;
    private CaptureServer _eventGrid = null!;
    private RunningHandler _handler = null!;

    public TraceCarryTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Portable",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async Task InitializeAsync()
    {
        _eventGrid = await CaptureServer.StartAsync();
        _probe.CallOut = new Uri(_eventGrid.Address, "/call-out");
        _handler = await RunningHandler.StartAsync(builder =>
        {
            builder.AddJson(TestJson.Default);
            builder.Services.AddSingleton(_probe);
            builder.Resources.AddQueue<QueueItem>(_queue);
            builder.Functions
                .MapHttp<TracedSender>("POST /traced", name: "TracedSender")
                .MapQueue<TracedConsumer, QueueItem>(_queue, name: "TracedConsumer")
                .MapTopic<TracedNotice, Notification>("notices", name: "TracedNotice");
        }, new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Portable:Azure:Topics:notices:Endpoint"] = new Uri(_eventGrid.Address, "/api/events").ToString(),
            ["Portable:Azure:Topics:notices:Key"] = "test-key",
        });
    }

    public async Task DisposeAsync()
    {
        await _handler.DisposeAsync();
        await _eventGrid.DisposeAsync();
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task QueueMessage_CarriesTheSendersSpan_AndTheConsumerSpanContinuesIt_NotTheHostsHeader()
    {
        var sent = await InvokeAsync("TracedSender", AzureTestDriver.HttpPayload("POST", "https://app.azurewebsites.net/traced?send=7"), "inv-send", HostTraceParent);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var sender = _probe.Spans["inv-send"];
        Assert.Equal("11111111111111111111111111111111", sender.TraceId);

        var message = await ReceiveAsync(_queue);
        using (var body = JsonDocument.Parse(message.Body.ToString()))
        {
            Assert.Equal("$traceparent", body.RootElement.EnumerateObject().First().Name);
        }

        var producer = Assert.Single(_spans, s => s.Kind == ActivityKind.Producer && s.TraceId.ToHexString() == sender.TraceId);
        Assert.Equal("send " + _queue, producer.DisplayName);
        Assert.Equal("azure_queue_storage", producer.GetTagItem("messaging.system"));
        Assert.Equal(sender.SpanId, producer.ParentSpanId.ToHexString());

        // The host gives the queue trigger its own trace header: the message's context wins.
        var payload = AzureTestDriver.QueuePayload(message.Body.ToString(), (int)message.DequeueCount, message.MessageId, message.InsertedOn);
        var consumed = await InvokeAsync("TracedConsumer", payload, "inv-consume", "00-33333333333333333333333333333333-4444444444444444-01");

        Assert.Equal(HttpStatusCode.OK, consumed.StatusCode);
        var consumer = _probe.Spans["inv-consume"];
        Assert.Equal(sender.TraceId, consumer.TraceId);
        Assert.Equal(producer.SpanId.ToHexString(), consumer.ParentSpanId);
        var span = Assert.Single(_spans, s => s.SpanId.ToHexString() == consumer.SpanId);
        Assert.Equal(ActivityKind.Consumer, span.Kind);
        Assert.Equal("azure_queue_storage", span.GetTagItem("messaging.system"));
        Assert.Equal(message.MessageId, span.GetTagItem("messaging.message.id"));
    }

    [Fact]
    public async Task QueueMessageWithoutContext_ContinuesTheHostsTraceHeader_AndItsFailureLineNamesTheTrace()
    {
        var failed = await InvokeAsync("TracedConsumer", AzureTestDriver.QueuePayload("""{"orderId":1,"quantity":-1}""", 1, "m-plain"), "inv-plain", HostTraceParent);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var consumer = _probe.Spans["inv-plain"];
        Assert.Equal("11111111111111111111111111111111", consumer.TraceId);
        Assert.Equal("2222222222222222", consumer.ParentSpanId);
        using var answer = JsonDocument.Parse(await failed.Content.ReadAsStringAsync());
        var line = Assert.Single(answer.RootElement.GetProperty("Logs").EnumerateArray()).GetString();
        Assert.Contains("invocation inv-plain, trace 11111111111111111111111111111111", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notification_CarriesTheSendersSpanInTheCloudEventsTracingExtension_AndTheTopicFunctionContinuesIt()
    {
        var sent = await InvokeAsync("TracedSender", AzureTestDriver.HttpPayload("POST", "https://app.azurewebsites.net/traced?publish=1"), "inv-publish", HostTraceParent);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

        var published = Assert.Single(_eventGrid.Requests, r => r.Path == "/api/events");
        using var events = JsonDocument.Parse(published.Body);
        var cloudEvent = events.RootElement[0];
        var producer = Assert.Single(_spans, s => s.Kind == ActivityKind.Producer && s.DisplayName == "publish notices");
        Assert.Equal("eventgrid", producer.GetTagItem("messaging.system"));
        Assert.Equal($"00-11111111111111111111111111111111-{producer.SpanId.ToHexString()}-01", cloudEvent.GetProperty("traceparent").GetString());

        var audited = await InvokeAsync("TracedNotice", """{"Data":{"event":""" + cloudEvent.GetRawText() + """},"Metadata":{}}""", "inv-notice", "00-33333333333333333333333333333333-4444444444444444-01");

        Assert.Equal(HttpStatusCode.OK, audited.StatusCode);
        var notice = _probe.Spans["inv-notice"];
        Assert.Equal("11111111111111111111111111111111", notice.TraceId);
        Assert.Equal(producer.SpanId.ToHexString(), notice.ParentSpanId);
        var span = Assert.Single(_spans, s => s.SpanId.ToHexString() == notice.SpanId);
        Assert.Equal("eventgrid", span.GetTagItem("messaging.system"));
        Assert.Equal(cloudEvent.GetProperty("id").GetString(), span.GetTagItem("messaging.message.id"));
        var received = Assert.Single(_probe.Notices);
        Assert.Equal("k", received.Attributes["kind"]);
        Assert.False(received.Attributes.ContainsKey("traceparent"));
    }

    [Fact]
    public async Task HttpClientCallInsideAFunction_CarriesTheInvocationsTraceparent()
    {
        var response = await InvokeAsync("TracedSender", AzureTestDriver.HttpPayload("POST", "https://app.azurewebsites.net/traced?call=1"), "inv-call", HostTraceParent);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(_eventGrid.Requests, r => r.Path == "/call-out");
        Assert.True(call.Headers.TryGetValue("traceparent", out var traceParent), "The call carried no traceparent.");
        Assert.True(TraceContext.TryParse(traceParent, null, out var context));
        Assert.Equal("11111111111111111111111111111111", context.TraceId);
    }

    [Fact]
    public async Task UnreadableMessageMovedToThePoisonQueue_IsCountedAsADeadLetter()
    {
        var deadLetters = new ConcurrentQueue<(long Value, string? Function, string? Reason)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Portable" && instrument.Name == "portable.message.dead_letters") listener.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? function = null, reason = null;
            foreach (var tag in tags)
            {
                if (tag.Value is not string text) continue;
                if (tag.Key.Contains("name", StringComparison.Ordinal) || tag.Key.Contains("function", StringComparison.Ordinal)) function = text;
                if (tag.Key.Contains("reason", StringComparison.Ordinal)) reason = text;
            }

            deadLetters.Enqueue((value, function, reason));
        });
        meters.Start();

        var response = await InvokeAsync("TracedConsumer", AzureTestDriver.QueuePayload("not json " + Guid.NewGuid().ToString("N")), "inv-poison", HostTraceParent);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(_queue + "-poison", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(deadLetters, d => d is { Value: 1, Function: "TracedConsumer", Reason: "invalid_input" });
    }

    [Fact]
    public void StdoutLineInsideAnInvocation_CarriesItsInvocationIdTraceIdAndSpanId()
    {
        var scopes = new LoggerExternalScopeProvider();
        using var outer = scopes.Push("request");
        using var invocation = scopes.Push(new InvocationLogScope("SendConfirmation", "inv-9", "azure", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", sampled: true));
        using var lookAlike = scopes.Push(new Dictionary<string, object?> { ["InvocationId"] = "other", ["TraceId"] = "0" }); // not the executor's scope: ignored
        using var writer = new StringWriter();

        new AzureConsoleFormatter().Write(new LogEntry<string>(LogLevel.Warning, "Orders", new EventId(3), "confirmed\no-1", null, (s, _) => s), scopes, writer);

        Assert.Equal("warn: Orders[3] confirmed o-1 [InvocationId=inv-9 TraceId=0af7651916cd43dd8448eb211c80319c SpanId=b7ad6b7169203331]" + Environment.NewLine, writer.ToString());
    }

    [Fact]
    public void StdoutLineOutsideAnInvocation_HasNoIds()
    {
        using var writer = new StringWriter();

        new AzureConsoleFormatter().Write(new LogEntry<string>(LogLevel.Information, "Portable.Azure", new EventId(1), "listening", null, (s, _) => s), new LoggerExternalScopeProvider(), writer);

        Assert.Equal("info: Portable.Azure[1] listening" + Environment.NewLine, writer.ToString());
    }

    private Task<HttpResponseMessage> InvokeAsync(string function, string payload, string invocationId, string traceParent)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Azure-Functions-InvocationId", invocationId);
        request.Headers.Add("traceparent", traceParent);
        return _handler.Client.SendAsync(request);
    }

    private static async Task<global::Azure.Storage.Queues.Models.QueueMessage> ReceiveAsync(string queue)
    {
        var client = new QueueClient(Azurite.ConnectionString, queue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (await client.ExistsAsync() && (await client.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value is [var message]) return message;
            await Task.Delay(100);
        }

        throw new TimeoutException($"No message reached {queue}.");
    }
}
