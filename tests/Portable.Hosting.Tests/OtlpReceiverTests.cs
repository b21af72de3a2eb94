using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Portable.Contracts.Otlp;

namespace Portable.Hosting.Tests;

/// <summary>
/// The OTLP/HTTP receiver the platform tests point published hosts at: fed by the real OpenTelemetry SDK and OTLP exporter
/// (http/protobuf) in process, every field must decode as it was sent, and anything it cannot take must be refused and recorded.
/// </summary>
public sealed class OtlpReceiverTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Traces_FromTheOtlpExporter_DecodeEveryFieldAsSent()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        var sourceName = "Otlp.Test." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName, "1.2.3");
        using var tracing = Tracing(otlp, sourceName);
        var linked = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

        Activity parent, child;
        using (parent = source.StartActivity("PlaceOrder", ActivityKind.Server)!)
        {
            parent.SetTag("faas.trigger", "http");
            parent.SetTag("faas.coldstart", true);
            parent.SetTag("order.lines", 3);
            parent.SetTag("order.total", 42.5);
            parent.SetTag("order.skus", new[] { "a-1", "b-2" });
            parent.SetStatus(ActivityStatusCode.Ok);
            using (child = source.StartActivity("SendConfirmation", ActivityKind.Producer, parent.Context, links: [new ActivityLink(linked)])!)
            {
                child.AddException(new InvalidOperationException("the queue is gone"));
                child.SetStatus(ActivityStatusCode.Error, "send failed");
            }
        }

        Assert.True(tracing.ForceFlush());
        var spans = await otlp.WaitForSpansAsync(s => s.Count >= 2, Patience);

        Assert.Equal(2, spans.Count);
        Assert.Empty(otlp.Errors);
        var placed = Assert.Single(spans, s => s.Name == "PlaceOrder");
        var sent = Assert.Single(spans, s => s.Name == "SendConfirmation");

        Assert.Equal(parent.TraceId.ToHexString(), placed.TraceId);
        Assert.Equal(parent.SpanId.ToHexString(), placed.SpanId);
        Assert.True(placed.IsRoot);
        Assert.Equal(ActivityKind.Server, placed.Kind);
        Assert.Equal(new DateTimeOffset(parent.StartTimeUtc), placed.StartTime);
        Assert.Equal(new DateTimeOffset(parent.StartTimeUtc + parent.Duration), placed.EndTime);
        Assert.Equal("http", placed.Attributes["faas.trigger"]);
        Assert.Equal(true, placed.Attributes["faas.coldstart"]);
        Assert.Equal(3L, placed.Attributes["order.lines"]);
        Assert.Equal(42.5, placed.Attributes["order.total"]);
        Assert.Equal(new object?[] { "a-1", "b-2" }, Assert.IsAssignableFrom<IReadOnlyList<object?>>(placed.Attributes["order.skus"]));
        Assert.Equal("[a-1, b-2]", placed.Attribute("order.skus"));
        Assert.Equal(ActivityStatusCode.Ok, placed.Status);
        Assert.Equal(sourceName, placed.ScopeName);
        Assert.Equal("1.2.3", placed.ScopeVersion);
        Assert.Equal("otlp-receiver-test", placed.Resource["service.name"]);

        Assert.Equal(placed.TraceId, sent.TraceId);
        Assert.Equal(child.SpanId.ToHexString(), sent.SpanId);
        Assert.Equal(placed.SpanId, sent.ParentSpanId);
        Assert.Equal(ActivityKind.Producer, sent.Kind);
        Assert.Equal(ActivityStatusCode.Error, sent.Status);
        Assert.Equal("send failed", sent.StatusMessage);
        var exception = Assert.Single(sent.Events);
        Assert.Equal("exception", exception.Name);
        Assert.Equal(typeof(InvalidOperationException).FullName, exception.Attribute("exception.type"));
        Assert.Equal("the queue is gone", exception.Attribute("exception.message"));
        Assert.Equal(new DateTimeOffset(child.Events.Single().Timestamp.UtcDateTime), exception.Time);
        var link = Assert.Single(sent.Links);
        Assert.Equal(linked.TraceId.ToHexString(), link.TraceId);
        Assert.Equal(linked.SpanId.ToHexString(), link.SpanId);
    }

    [Fact]
    public async Task Endpoint_GivenAsOtelExporterOtlpEndpoint_ReceivesTheExportersSignals()
    {
        // As a published host is pointed at the receiver: the exporter appends /v1/traces to the variable's value itself.
        await using var otlp = await OtlpReceiver.StartAsync();
        var sourceName = "Otlp.Test." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        }).Build();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .ConfigureServices(services => services.AddSingleton<IConfiguration>(settings))
            .AddSource(sourceName)
            .AddOtlpExporter()
            .Build();

        source.StartActivity("PlaceOrder", ActivityKind.Server)!.Dispose();
        Assert.True(tracing.ForceFlush());

        Assert.Equal("PlaceOrder", Assert.Single(await otlp.WaitForSpansAsync(s => s.Count >= 1, Patience)).Name);
        Assert.Empty(otlp.Errors);
        Assert.Matches("^http://127\\.0\\.0\\.1:[0-9]+$", otlp.Endpoint);
    }

    [Fact]
    public async Task ExportsArrivingTogether_AreAllKept()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        using var http = new HttpClient();
        const int Exports = 24;

        var answers = await Task.WhenAll(Enumerable.Range(1, Exports).Select(async i =>
        {
            using var response = await http.PostAsync(otlp.Endpoint + "/v1/traces", Protobuf(OneSpan((byte)i)));
            return response.StatusCode;
        }));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Empty(otlp.Errors);
        Assert.Equal(
            Enumerable.Range(1, Exports).Select(i => "span-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal),
            otlp.Spans.Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Metrics_FromTheOtlpExporter_DecodeSumsGaugeAndHistogramWithTheirAttributes()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        var meterName = "Otlp.Test." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        var placed = meter.CreateCounter<long>("orders.placed", "{order}");
        var revenue = meter.CreateCounter<double>("orders.revenue", "EUR");
        var duration = meter.CreateHistogram<double>("faas.invoke_duration", "s");
        meter.CreateObservableGauge("orders.open", () => 7.25, "{order}");
        using var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("otlp-receiver-test"))
            .AddMeter(meterName)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = new Uri(otlp.Endpoint + "/v1/metrics");
                exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = int.MaxValue; // only the explicit flush exports
            })
            .Build();

        placed.Add(2, new KeyValuePair<string, object?>("channel", "web"));
        placed.Add(3, new KeyValuePair<string, object?>("channel", "web"));
        placed.Add(1, new KeyValuePair<string, object?>("channel", "shop"));
        revenue.Add(19.5);
        duration.Record(0.5, new KeyValuePair<string, object?>("faas.trigger", "http"));
        duration.Record(1.5, new KeyValuePair<string, object?>("faas.trigger", "http"));

        Assert.True(metrics.ForceFlush());
        var received = await otlp.WaitForMetricsAsync(m => m.Select(x => x.Name).Distinct().Count() >= 4, Patience);

        Assert.Empty(otlp.Errors);
        var orders = Assert.Single(received, m => m.Name == "orders.placed");
        Assert.Equal(OtlpMetricKind.Sum, orders.Kind);
        Assert.True(orders.IsMonotonic);
        Assert.Equal(2, orders.Temporality); // cumulative, the exporter's default
        Assert.Equal("{order}", orders.Unit);
        Assert.Equal(meterName, orders.ScopeName);
        Assert.Equal("otlp-receiver-test", orders.Resource["service.name"]);
        Assert.Equal(5L, Assert.Single(orders.DataPoints, p => p.Attribute("channel") == "web").LongValue);
        Assert.Equal(1L, Assert.Single(orders.DataPoints, p => p.Attribute("channel") == "shop").LongValue);

        var money = Assert.Single(received, m => m.Name == "orders.revenue");
        Assert.Equal(19.5, Assert.Single(money.DataPoints).DoubleValue);

        var open = Assert.Single(received, m => m.Name == "orders.open");
        Assert.Equal(OtlpMetricKind.Gauge, open.Kind);
        Assert.Equal(7.25, Assert.Single(open.DataPoints).Value);

        var invocations = Assert.Single(received, m => m.Name == "faas.invoke_duration");
        Assert.Equal(OtlpMetricKind.Histogram, invocations.Kind);
        Assert.Equal("s", invocations.Unit);
        var point = Assert.Single(invocations.DataPoints);
        Assert.Equal("http", point.Attribute("faas.trigger"));
        Assert.Equal(2UL, point.Count);
        Assert.Equal(2.0, point.Sum);
        Assert.Equal(0.5, point.Min);
        Assert.Equal(1.5, point.Max);
        Assert.Equal(point.ExplicitBounds.Count + 1, point.BucketCounts.Count);
        Assert.Equal(2UL, point.BucketCounts.Aggregate(0UL, (sum, n) => sum + n));
    }

    [Fact]
    public async Task Logs_FromTheOtlpExporter_CarryBodyAndTheSpanTheyWereWrittenIn()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        var sourceName = "Otlp.Test." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        using var tracing = Tracing(otlp, sourceName);
        using var loggers = LoggerFactory.Create(logging => logging.AddOpenTelemetry(o => o.AddOtlpExporter(exporter =>
        {
            exporter.Endpoint = new Uri(otlp.Endpoint + "/v1/logs");
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            exporter.ExportProcessorType = ExportProcessorType.Simple;
        })));
        var logger = loggers.CreateLogger("Orders.PlaceOrder");

        string traceId, spanId;
        using (var activity = source.StartActivity("PlaceOrder")!)
        {
            traceId = activity.TraceId.ToHexString();
            spanId = activity.SpanId.ToHexString();
#pragma warning disable CA1848, CA2254 // a plain message keeps the body the text itself
            logger.LogWarning("order o-1 placed");
#pragma warning restore CA1848, CA2254
        }

        var logs = await otlp.WaitForLogsAsync(l => l.Count >= 1, Patience);

        var record = Assert.Single(logs);
        Assert.Equal("order o-1 placed", record.Body);
        Assert.Equal(traceId, record.TraceId);
        Assert.Equal(spanId, record.SpanId);
        Assert.Equal(13, record.SeverityNumber); // WARN
        Assert.Equal("Orders.PlaceOrder", record.ScopeName);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task Traces_SentGzippedOrChunked_DecodeAsThePlainOnes(bool gzip, bool chunked)
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        var sourceName = "Otlp.Test." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        using var reframing = new Reframing(gzip, chunked) { InnerHandler = new HttpClientHandler() };
        using var tracing = Tracing(otlp, sourceName, () => new HttpClient(reframing, disposeHandler: false));

        string traceId;
        using (var activity = source.StartActivity("AuditConfirmation", ActivityKind.Consumer)!)
        {
            activity.SetTag("messaging.system", "aws_sqs");
            traceId = activity.TraceId.ToHexString();
        }

        Assert.True(tracing.ForceFlush());
        var span = Assert.Single(await otlp.WaitForSpansAsync(s => s.Count >= 1, Patience));

        Assert.Equal(1, reframing.Sent);
        Assert.Empty(otlp.Errors);
        Assert.Equal("AuditConfirmation", span.Name);
        Assert.Equal(traceId, span.TraceId);
        Assert.Equal(ActivityKind.Consumer, span.Kind);
        Assert.Equal("aws_sqs", span.Attribute("messaging.system"));
    }

    [Fact]
    public async Task GarbageBody_IsAnswered400_AndRecordedAsAnError()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        using var http = new HttpClient();

        using var response = await http.PostAsync(otlp.Endpoint + "/v1/traces", Protobuf("this is not protobuf"u8.ToArray()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single(otlp.Errors);
        Assert.Equal(400, error.Status);
        Assert.Equal("/v1/traces", error.Path);
        Assert.Contains("not an OTLP traces export request", error.Message, StringComparison.Ordinal);
        var status = await response.Content.ReadAsByteArrayAsync(); // google.rpc.Status { code: 3 (INVALID_ARGUMENT), message }
        Assert.Equal(new byte[] { 0x08, 3, 0x12 }, status[..3]);
        Assert.EndsWith(error.Message, Encoding.UTF8.GetString(status), StringComparison.Ordinal);
        Assert.Empty(otlp.Spans);
    }

    [Fact]
    public async Task SpanWithAShortTraceId_IsAnswered400_NamingTheField()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        using var http = new HttpClient();

        // ExportTraceServiceRequest { resource_spans { scope_spans { spans { trace_id: 4 bytes, span_id: 8 bytes, name: "x" } } } }
        byte[] span = [0x0A, 4, 1, 2, 3, 4, 0x12, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0x2A, 1, (byte)'x'];
        byte[] scopeSpans = [0x12, (byte)span.Length, .. span];
        byte[] resourceSpans = [0x12, (byte)scopeSpans.Length, .. scopeSpans];
        byte[] request = [0x0A, (byte)resourceSpans.Length, .. resourceSpans];
        using var response = await http.PostAsync(otlp.Endpoint + "/v1/traces", Protobuf(request));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("trace_id has 4 bytes, not 16", Assert.Single(otlp.Errors).Message, StringComparison.Ordinal);
        Assert.Empty(otlp.Spans);
    }

    [Theory]
    [InlineData("POST", "/v1/profiles", "application/x-protobuf", null, 404)]
    [InlineData("GET", "/v1/traces", null, null, 405)]
    [InlineData("POST", "/v1/traces", "text/plain", null, 415)]
    [InlineData("POST", "/v1/metrics", "application/x-protobuf", "br", 415)]
    [InlineData("POST", "/v1/logs", "application/x-protobuf", "gzip", 400)]
    public async Task RequestTheReceiverCannotTake_IsRefusedAndRecorded(string method, string path, string? contentType, string? encoding, int status)
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), otlp.Endpoint + path);
        if (contentType is not null)
        {
            request.Content = new ByteArrayContent("{}"u8.ToArray());
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            if (encoding is not null) request.Content.Headers.ContentEncoding.Add(encoding);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        var error = Assert.Single(otlp.Errors);
        Assert.Equal((method, path, status), (error.Method, error.Path, error.Status));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public async Task RequestThatIsNotHttp_IsAnswered400_AndRecorded()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, new Uri(otlp.Endpoint).Port);
        var stream = client.GetStream();

        await stream.WriteAsync("NONSENSE\r\n\r\n"u8.ToArray());
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync();

        Assert.Equal("HTTP/1.1 400 Bad Request", statusLine);
        var error = Assert.Single(otlp.Errors);
        Assert.Equal(400, error.Status);
        Assert.Contains("'NONSENSE'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForSpans_WhenTheTimeoutPasses_ThrowsListingWhatArrived()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        var sourceName = "Otlp.Test." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        using var tracing = Tracing(otlp, sourceName);
        string traceId, parentId;
        using (var parent = source.StartActivity("PlaceOrder", ActivityKind.Server)!)
        {
            traceId = parent.TraceId.ToHexString();
            parentId = parent.SpanId.ToHexString();
            source.StartActivity("SendConfirmation", ActivityKind.Producer)!.Dispose();
        }

        Assert.True(tracing.ForceFlush());
        using var http = new HttpClient();
        using var _ = await http.PostAsync(otlp.Endpoint + "/v1/traces", Protobuf([0xFF]));

        var failure = await Assert.ThrowsAsync<TimeoutException>(
            () => otlp.WaitForSpansAsync(s => s.Any(x => x.Name == "AuditConfirmation"), TimeSpan.FromMilliseconds(200)));

        Assert.Contains("received 2 spans", failure.Message, StringComparison.Ordinal);
        Assert.Contains("trace " + traceId, failure.Message, StringComparison.Ordinal);
        Assert.Contains($"PlaceOrder [Server, Unset] span {parentId} parent (root)", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"SendConfirmation [Producer, Unset] span ", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"parent PlaceOrder {parentId}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("POST /v1/traces (application/x-protobuf) -> 400", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForSpans_ReturnsOnceAnExportSatisfiesTheCondition()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        var sourceName = "Otlp.Test." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        using var tracing = Tracing(otlp, sourceName);

        var waiting = otlp.WaitForSpansAsync(s => s.Any(x => x.Name == "AuditConfirmation"), Patience);
        Assert.False(waiting.IsCompleted);
        source.StartActivity("AuditConfirmation")!.Dispose();
        Assert.True(tracing.ForceFlush());

        Assert.Equal("AuditConfirmation", Assert.Single(await waiting).Name);
    }

    private static TracerProvider Tracing(OtlpReceiver otlp, string sourceName, Func<HttpClient>? httpClient = null) =>
        Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("otlp-receiver-test"))
            .AddSource(sourceName)
            .AddOtlpExporter(exporter =>
            {
                exporter.Endpoint = new Uri(otlp.Endpoint + "/v1/traces");
                exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                if (httpClient is not null) exporter.HttpClientFactory = httpClient;
            })
            .Build();

    /// <summary>An ExportTraceServiceRequest written by hand: one span named <c>span-N</c>, with ids made of <paramref name="n"/>.</summary>
    private static byte[] OneSpan(byte n)
    {
        var name = Encoding.UTF8.GetBytes("span-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        byte[] span = [0x0A, 16, .. Enumerable.Repeat(n, 16), 0x12, 8, .. Enumerable.Repeat(n, 8), 0x2A, (byte)name.Length, .. name];
        byte[] scopeSpans = [0x12, (byte)span.Length, .. span];
        byte[] resourceSpans = [0x12, (byte)scopeSpans.Length, .. scopeSpans];
        return [0x0A, (byte)resourceSpans.Length, .. resourceSpans];
    }

    private static ByteArrayContent Protobuf(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return content;
    }

    /// <summary>
    /// Re-sends the exporter's own request body gzipped (with <c>Content-Encoding: gzip</c>) and/or chunked (no length). The
    /// exporter sends synchronously, so <see cref="Send"/> is the path it takes.
    /// </summary>
    private sealed class Reframing(bool gzip, bool chunked) : DelegatingHandler
    {
        public int Sent { get; private set; }

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Reframe(request, request.Content!.ReadAsByteArrayAsync(cancellationToken).GetAwaiter().GetResult());
            return base.Send(request, cancellationToken);
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Reframe(request, await request.Content!.ReadAsByteArrayAsync(cancellationToken));
            return await base.SendAsync(request, cancellationToken);
        }

        private void Reframe(HttpRequestMessage request, byte[] body)
        {
            Sent++;
            var contentType = request.Content!.Headers.ContentType;
            if (gzip)
            {
                using var zipped = new MemoryStream();
                using (var zip = new GZipStream(zipped, CompressionLevel.Fastest, leaveOpen: true)) zip.Write(body);
                body = zipped.ToArray();
            }

            HttpContent content = chunked ? new StreamContent(new UnknownLength(body)) : new ByteArrayContent(body);
            content.Headers.ContentType = contentType;
            if (gzip) content.Headers.ContentEncoding.Add("gzip");
            request.Content = content;
        }
    }

    /// <summary>A stream that will not tell its length, so <c>HttpClient</c> sends it chunked.</summary>
    private sealed class UnknownLength(byte[] body) : MemoryStream(body)
    {
        public override bool CanSeek => false;
    }
}
