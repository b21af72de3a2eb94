using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Orders;
using Portable.Gcp.PubSub;
using Portable.Gcp.Tests.Fixtures;
using Portable.Hosting;
using Portable.Testing;

namespace Portable.Gcp.Tests;

/// <summary>
/// Issue #12 on GCP: a trace crosses Pub/Sub as <c>googclient_traceparent</c> (Google's client-library attribute), a push continues
/// the message's trace rather than the push request's, CloudEvents carry theirs as the <c>traceparent</c> extension, log lines
/// inside an invocation carry its trace, span and id, and a function's HttpClient calls carry its trace.
/// </summary>
public sealed class TraceContextTests
{
    private const string PublisherTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string PublisherSpan = "00f067aa0ba902b7";
    private const string PushTrace = "0af7651916cd43dd8448eb211c80319c";

    [Fact]
    public async Task Push_CarryingGoogClientTraceparent_ContinuesThePublishersTrace_NotThePushRequests()
    {
        using var spans = new SpanCollector();
        await using var app = await TelemetryApp.StartAsync("jobs");
        var response = await Push(app, "m-1", new() { [PubSubAttributes.TraceParent] = $"00-{PublisherTrace}-{PublisherSpan}-01", [PubSubAttributes.TraceState] = "gcp=1" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var context = Assert.Single(app.Contexts);
        Assert.Equal(PublisherTrace, context.Trace.TraceId);
        Assert.NotEqual(PublisherSpan, context.Trace.ParentId); // the invocation's own span, the parent of what it calls
        var span = Assert.Single(spans.OfTrace(PublisherTrace));
        Assert.Equal(PublisherSpan, span.ParentSpanId.ToHexString());
        Assert.Equal(context.Trace.ParentId, span.SpanId.ToHexString());
        Assert.Equal(ActivityKind.Consumer, span.Kind);
        Assert.Equal("gcp=1", span.TraceStateString);
        Assert.Equal("gcp_pubsub", span.GetTagItem("messaging.system"));
        Assert.Equal("m-1", span.GetTagItem("messaging.message.id"));
    }

    [Fact]
    public async Task Push_CarryingOnlyAPlainTraceparentAttribute_ContinuesIt()
    {
        await using var app = await TelemetryApp.StartAsync("jobs");
        Assert.Equal(HttpStatusCode.NoContent, (await Push(app, "m-2", new() { ["traceparent"] = $"00-{PublisherTrace}-{PublisherSpan}-01" })).StatusCode);
        Assert.Equal(PublisherTrace, Assert.Single(app.Contexts).Trace.TraceId);
    }

    [Fact]
    public async Task Push_WithoutATraceAttribute_ContinuesTheRequestsCloudTraceHeader()
    {
        await using var app = await TelemetryApp.StartAsync("jobs");
        Assert.Equal(HttpStatusCode.NoContent, (await Push(app, "m-3", new() { ["googclient_traceparent"] = "not a traceparent" }, traceHeader: false)).StatusCode);
        Assert.Equal(PushTrace, Assert.Single(app.Contexts).Trace.TraceId);
    }

    [Fact]
    public async Task LogLines_InsideAnInvocation_CarryItsTraceSpanSampledFlagAndInvocationId()
    {
        await using var app = await TelemetryApp.StartAsync("jobs");
        await Push(app, "m-4", new() { [PubSubAttributes.TraceParent] = $"00-{PublisherTrace}-{PublisherSpan}-01" });
        var context = Assert.Single(app.Contexts);

        var lines = app.LogLines.Select(l => JsonDocument.Parse(l).RootElement).Where(l => l.GetProperty("message").GetString()!.StartsWith("job j1", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count); // the context's logger and an injected ILogger<T>
        Assert.All(lines, line =>
        {
            Assert.Equal($"projects/test-project/traces/{PublisherTrace}", line.GetProperty("logging.googleapis.com/trace").GetString());
            Assert.Equal(context.Trace.ParentId, line.GetProperty("logging.googleapis.com/spanId").GetString());
            Assert.True(line.GetProperty("logging.googleapis.com/trace_sampled").GetBoolean());
            var labels = line.GetProperty("logging.googleapis.com/labels");
            Assert.Equal("m-4", labels.GetProperty("invocationId").GetString());
            Assert.Equal("jobs", labels.GetProperty("function").GetString());
        });
    }

    [Fact]
    public async Task LogLines_OfAnUnsampledMessage_SayTraceSampledFalse_EvenWhenThePushRequestWasSampled()
    {
        await using var app = await TelemetryApp.StartAsync("jobs");
        await Push(app, "m-5", new() { [PubSubAttributes.TraceParent] = $"00-{PublisherTrace}-{PublisherSpan}-00" });
        var line = app.LogLines.Select(l => JsonDocument.Parse(l).RootElement).First(l => l.GetProperty("message").GetString()!.StartsWith("job j1", StringComparison.Ordinal));
        Assert.Equal($"projects/test-project/traces/{PublisherTrace}", line.GetProperty("logging.googleapis.com/trace").GetString());
        Assert.False(line.GetProperty("logging.googleapis.com/trace_sampled").GetBoolean());
    }

    [Fact]
    public async Task CloudEvent_TraceparentExtension_IsTheParent_OfQueueAndEventFunctions()
    {
        using var spans = new SpanCollector();
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"id":"j9","mode":"ok"}"""));
        var cloudEvent = $$"""
            {"specversion":"1.0","type":"google.cloud.pubsub.topic.v1.messagePublished","source":"//pubsub.googleapis.com/projects/p/topics/jobs",
             "id":"e-9","datacontenttype":"application/json","traceparent":"00-{{PublisherTrace}}-{{PublisherSpan}}-01",
             "data":{"subscription":"projects/p/subscriptions/s","message":{"data":"{{data}}","messageId":"m-9"} } }
            """;
        Assert.Equal(204, (await host.Gcp("jobs", "cloudevent").SendCloudEventAsync(cloudEvent)).StatusCode);
        Assert.Equal(PublisherTrace, Assert.Single(recorder.Jobs).Context.Trace.TraceId);

        const string storageTrace = "11111111111111111111111111111111";
        var storageEvent = $$"""
            {"specversion":"1.0","type":"google.cloud.storage.object.v1.finalized","source":"//storage.googleapis.com/projects/_/buckets/b",
             "id":"e-10","datacontenttype":"application/json","traceparent":"00-{{storageTrace}}-{{PublisherSpan}}-01","data":{"name":"f"} }
            """;
        Assert.Equal(200, (await host.Gcp("cloudevent", "cloudevent").SendCloudEventAsync(storageEvent)).StatusCode);
        var span = Assert.Single(spans.OfTrace(storageTrace));
        Assert.Equal(PublisherSpan, span.ParentSpanId.ToHexString());
    }

    [Fact]
    public async Task TopicFunction_IsNotGivenTheTraceAttributes()
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var attributes = new Dictionary<string, string> { ["k"] = "v", [PubSubAttributes.TraceParent] = $"00-{PublisherTrace}-{PublisherSpan}-01", [PubSubAttributes.TraceState] = "a=b" };
        Assert.Equal(204, (await host.Gcp("news").SendPushAsync("news", "hello", attributes, messageId: "n-1")).StatusCode);

        var (notification, context) = Assert.Single(recorder.Notifications);
        Assert.Equal(new Dictionary<string, string> { ["k"] = "v" }, notification.Attributes);
        Assert.Equal(PublisherTrace, context.Trace.TraceId);
    }

    [Fact]
    public async Task QueueAndNotifier_StartProducerSpans_AndCarryTheirContextAsGoogClientAttributes()
    {
        using var spans = new SpanCollector();
        await using var google = await FakeGoogleApis.StartAsync();
        await using var services = FirestoreAndPubSubTests.Services(google);
        using var parent = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        var trace = parent.TraceId.ToHexString();

        await services.GetRequiredService<IQueue<OrderPlaced>>().SendAsync(new OrderPlaced("o-1"), null, default);
        await services.GetRequiredService<INotifier>().PublishAsync(new Notification("order-confirmations", "{}") { Attributes = new Dictionary<string, string> { ["k"] = "v" } }, default);

        foreach (var (topic, name, operation) in new[] { ("order-placed", "send order-placed", "send"), ("order-confirmations", "publish order-confirmations", "publish") })
        {
            var producer = Assert.Single(spans.OfTrace(trace), s => s.DisplayName == name);
            Assert.Equal(ActivityKind.Producer, producer.Kind);
            Assert.Equal(parent.SpanId, producer.ParentSpanId);
            Assert.Equal("gcp_pubsub", producer.GetTagItem("messaging.system"));
            Assert.Equal(operation, producer.GetTagItem("messaging.operation.type"));
            var message = Assert.Single(google.PublishedTo(topic));
            Assert.Equal($"00-{trace}-{producer.SpanId.ToHexString()}-{(producer.Recorded ? "01" : "00")}", message.Attributes[PubSubAttributes.TraceParent]);
        }

        Assert.Equal("v", Assert.Single(google.PublishedTo("order-confirmations")).Attributes["k"]);
    }

    [Fact]
    public void TraceAttributes_StayWithinPubSubsLimits()
    {
        var context = TraceContext.Create(PublisherTrace, PublisherSpan, sampled: true);
        var room = Enumerable.Range(0, PubSubAttributes.MaxAttributes - 1).ToDictionary(i => $"a{i}", i => "x");
        PubSubAttributes.AddTrace(room, context);
        Assert.Equal(context.TraceParent, room[PubSubAttributes.TraceParent]);
        Assert.Equal(PubSubAttributes.MaxAttributes, room.Count);

        var full = Enumerable.Range(0, PubSubAttributes.MaxAttributes).ToDictionary(i => $"a{i}", i => "x");
        PubSubAttributes.AddTrace(full, context);
        Assert.False(full.ContainsKey(PubSubAttributes.TraceParent));

        Assert.True(TraceContext.TryParse(context.TraceParent, new string('s', PubSubAttributes.MaxValueBytes + 1), out var longState));
        var attributes = new Dictionary<string, string>();
        PubSubAttributes.AddTrace(attributes, longState);
        Assert.Equal([PubSubAttributes.TraceParent], attributes.Keys);

        Assert.True(TraceContext.TryParse(context.TraceParent, "k=v", out var withState));
        PubSubAttributes.AddTrace(attributes, withState);
        Assert.Equal("k=v", attributes[PubSubAttributes.TraceState]);
    }

    [Fact]
    public async Task HttpClientCall_FromAFunction_CarriesTheInvocationsTraceparent()
    {
        await using var callee = await HeaderCapture.StartAsync();
        await using var app = await TelemetryApp.StartAsync("call");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/call?to={Uri.EscapeDataString(callee.Url)}");
        request.Headers.Add("traceparent", $"00-{PublisherTrace}-{PublisherSpan}-01");
        Assert.Equal(HttpStatusCode.OK, (await app.Client.SendAsync(request)).StatusCode);

        var context = Assert.Single(app.Contexts);
        Assert.Equal(PublisherTrace, context.Trace.TraceId);
        var sent = Assert.Single(callee.TraceParents);
        Assert.True(TraceContext.TryParse(sent, null, out var carried), sent);
        Assert.Equal(PublisherTrace, carried.TraceId);
        Assert.NotEqual(PublisherSpan, carried.ParentId); // the invocation's span (or the HttpClient span under it), not the caller's
    }

    private static async Task<HttpResponseMessage> Push(TelemetryApp app, string messageId, Dictionary<string, string> attributes, bool traceHeader = true)
    {
        var envelope = new Dictionary<string, object>
        {
            ["subscription"] = "projects/test-project/subscriptions/jobs-push",
            ["message"] = new Dictionary<string, object>
            {
                ["data"] = Convert.ToBase64String("""{"id":"j1","mode":"ok"}"""u8.ToArray()),
                ["attributes"] = attributes,
                ["messageId"] = messageId,
                ["publishTime"] = "2026-03-01T09:00:00.123Z",
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/projects/test-project/topics/jobs")
        {
            Content = new StringContent(JsonSerializer.Serialize(envelope), Encoding.UTF8, "application/json"),
        };

        // The push request's own trace, as Pub/Sub sends it: never the parent when the message carries one.
        if (traceHeader) request.Headers.Add("traceparent", $"00-{PushTrace}-b7ad6b7169203331-01");
        request.Headers.Add("X-Cloud-Trace-Context", $"{PushTrace}/12345;o=1");
        return await app.Client.SendAsync(request);
    }

    /// <summary>Records the spans of the Portable source (all data) while it lives.</summary>
    private sealed class SpanCollector : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _spans = new();

        public SpanCollector()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == PortableTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _spans.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<Activity> OfTrace(string traceId) => _spans.Where(s => s.TraceId.ToHexString() == traceId).ToList();

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>A server that answers 200 and records the <c>traceparent</c> of every request.</summary>
    private sealed class HeaderCapture : IAsyncDisposable
    {
        private readonly WebApplication _web;

        private HeaderCapture(WebApplication web, string url)
        {
            _web = web;
            Url = url;
        }

        public string Url { get; }

        public ConcurrentQueue<string> TraceParents { get; } = new();

        public static async Task<HeaderCapture> StartAsync()
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var web = builder.Build();
            HeaderCapture? capture = null;
            web.Run(context =>
            {
                capture!.TraceParents.Enqueue(context.Request.Headers["traceparent"].ToString());
                return Task.CompletedTask;
            });
            await web.StartAsync();
            var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            capture = new HeaderCapture(web, address + "/callee");
            return capture;
        }

        public async ValueTask DisposeAsync()
        {
            await _web.StopAsync();
            await _web.DisposeAsync();
        }
    }
}
