using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Portable.Contracts.Otlp;

namespace Portable.Hosting.Tests;

/// <summary>
/// The OTLP receiver also decodes OTLP/JSON (<c>OTEL_EXPORTER_OTLP_PROTOCOL=http/json</c>), checked against the example requests
/// of open-telemetry/opentelemetry-proto (examples/*.json at commit ac2c4b5d1f3a6079de62f9afec860158ecc8af09, Apache-2.0,
/// copied verbatim but for whitespace).
/// </summary>
public sealed class OtlpJsonReceiverTests
{
    private const string TraceExample = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]},"scopeSpans":[{"scope":{"name":"my.library","version":"1.0.0","attributes":[{"key":"my.scope.attribute","value":{"stringValue":"some scope attribute"}}]},"spans":[{"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","parentSpanId":"EEE19B7EC3C1B173","name":"I'm a server span","startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000","kind":2,"attributes":[{"key":"my.span.attr","value":{"stringValue":"some value"}}]}]}]}]}
        """;

    private const string MetricsExample = """
        {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]},"scopeMetrics":[{"scope":{"name":"my.library","version":"1.0.0","attributes":[{"key":"my.scope.attribute","value":{"stringValue":"some scope attribute"}}]},"metrics":[{"name":"my.counter","unit":"1","description":"I am a Counter","sum":{"aggregationTemporality":1,"isMonotonic":true,"dataPoints":[{"asDouble":5,"startTimeUnixNano":"1544712660300000000","timeUnixNano":"1544712660300000000","attributes":[{"key":"my.counter.attr","value":{"stringValue":"some value"}}]}]}},{"name":"my.gauge","unit":"1","description":"I am a Gauge","gauge":{"dataPoints":[{"asDouble":10,"timeUnixNano":"1544712660300000000","attributes":[{"key":"my.gauge.attr","value":{"stringValue":"some value"}}]}]}},{"name":"my.histogram","unit":"1","description":"I am a Histogram","histogram":{"aggregationTemporality":1,"dataPoints":[{"startTimeUnixNano":"1544712660300000000","timeUnixNano":"1544712660300000000","count":"2","sum":2,"bucketCounts":["1","1"],"explicitBounds":[1],"min":0,"max":2,"attributes":[{"key":"my.histogram.attr","value":{"stringValue":"some value"}}]}]}},{"name":"my.exponential.histogram","unit":"1","description":"I am an Exponential Histogram","exponentialHistogram":{"aggregationTemporality":1,"dataPoints":[{"startTimeUnixNano":"1544712660300000000","timeUnixNano":"1544712660300000000","count":"3","sum":10,"scale":0,"zeroCount":"1","positive":{"offset":1,"bucketCounts":["0","2"]},"min":0,"max":5,"zeroThreshold":0,"attributes":[{"key":"my.exponential.histogram.attr","value":{"stringValue":"some value"}}]}]}}]}]}]}
        """;

    private const string LogsExample = """
        {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]},"scopeLogs":[{"scope":{"name":"my.library","version":"1.0.0","attributes":[{"key":"my.scope.attribute","value":{"stringValue":"some scope attribute"}}]},"logRecords":[{"timeUnixNano":"1544712660300000000","observedTimeUnixNano":"1544712660300000000","severityNumber":10,"severityText":"Information","traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","body":{"stringValue":"Example log record"},"attributes":[{"key":"string.attribute","value":{"stringValue":"some string"}},{"key":"boolean.attribute","value":{"boolValue":true}},{"key":"int.attribute","value":{"intValue":"10"}},{"key":"double.attribute","value":{"doubleValue":637.704}},{"key":"array.attribute","value":{"arrayValue":{"values":[{"stringValue":"many"},{"stringValue":"values"}]}}},{"key":"map.attribute","value":{"kvlistValue":{"values":[{"key":"some.map.key","value":{"stringValue":"some value"}}]}}}]}]}]}]}
        """;

    [Fact]
    public async Task TraceExample_OfTheOtlpSpec_Decodes()
    {
        await using var otlp = await OtlpReceiver.StartAsync();

        var (status, body) = await PostAsync(otlp, "/v1/traces", TraceExample);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("{}", body);
        var span = Assert.Single(otlp.Spans);
        Assert.Equal("5b8efff798038103d269b633813fc60c", span.TraceId);
        Assert.Equal("eee19b7ec3c1b174", span.SpanId);
        Assert.Equal("eee19b7ec3c1b173", span.ParentSpanId);
        Assert.Equal("I'm a server span", span.Name);
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1544712660), span.StartTime);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1544712661), span.EndTime);
        Assert.Equal("some value", span.Attribute("my.span.attr"));
        Assert.Equal(("my.library", "1.0.0"), (span.ScopeName, span.ScopeVersion));
        Assert.Equal("my.service", span.Resource["service.name"]);
    }

    [Fact]
    public async Task SpanWithEventsLinksAndStatus_InJson_Decodes()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        const string request = """
            {"resourceSpans":[{"scopeSpans":[{"scope":{"name":"Portable"},"spans":[{
              "traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"SendConfirmation","kind":5,
              "startTimeUnixNano":1544712660000000000,"endTimeUnixNano":"1544712660500000000",
              "attributes":[{"key":"messaging.batch.message_count","value":{"intValue":"-3"}},{"key":"raw","value":{"bytesValue":"AQI="}}],
              "events":[{"timeUnixNano":"1544712660100000000","name":"exception","attributes":[{"key":"exception.type","value":{"stringValue":"System.TimeoutException"}}]}],
              "links":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7"}],
              "status":{"code":2,"message":"gave up"}}]}]}]}
            """;

        var (status, _) = await PostAsync(otlp, "/v1/traces", request);

        Assert.Equal(HttpStatusCode.OK, status);
        var span = Assert.Single(otlp.Spans);
        Assert.Equal(ActivityKind.Consumer, span.Kind);
        Assert.True(span.IsRoot);
        Assert.Equal(-3L, span.Attributes["messaging.batch.message_count"]);
        Assert.Equal(new byte[] { 1, 2 }, span.Attributes["raw"]);
        Assert.Equal(TimeSpan.FromMilliseconds(500), span.EndTime - span.StartTime);
        var exception = Assert.Single(span.Events);
        Assert.Equal(("exception", "System.TimeoutException"), (exception.Name, exception.Attribute("exception.type")));
        Assert.Equal(("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"), (span.Links[0].TraceId, span.Links[0].SpanId));
        Assert.Equal((ActivityStatusCode.Error, "gave up"), (span.Status, span.StatusMessage));
    }

    [Fact]
    public async Task MetricsExample_OfTheOtlpSpec_Decodes()
    {
        await using var otlp = await OtlpReceiver.StartAsync();

        var (status, _) = await PostAsync(otlp, "/v1/metrics", MetricsExample);

        Assert.Equal(HttpStatusCode.OK, status);
        var metrics = otlp.Metrics;
        Assert.Equal(["my.counter", "my.gauge", "my.histogram", "my.exponential.histogram"], metrics.Select(m => m.Name));
        var counter = metrics[0];
        Assert.Equal((OtlpMetricKind.Sum, true, 1, "1"), (counter.Kind, counter.IsMonotonic, counter.Temporality, counter.Unit));
        Assert.Equal(5.0, Assert.Single(counter.DataPoints).DoubleValue);
        Assert.Equal("some value", counter.DataPoints[0].Attribute("my.counter.attr"));
        Assert.Equal((OtlpMetricKind.Gauge, 10.0), (metrics[1].Kind, Assert.Single(metrics[1].DataPoints).Value));
        var histogram = Assert.Single(metrics[2].DataPoints);
        Assert.Equal((2UL, 2.0, 0.0, 2.0), (histogram.Count, histogram.Sum, histogram.Min, histogram.Max));
        Assert.Equal([1UL, 1UL], histogram.BucketCounts);
        Assert.Equal([1.0], histogram.ExplicitBounds);
        var exponential = Assert.Single(metrics[3].DataPoints);
        Assert.Equal((OtlpMetricKind.ExponentialHistogram, 3UL, 10.0), (metrics[3].Kind, exponential.Count, exponential.Sum));
        Assert.Equal("my.library", metrics[3].ScopeName);
    }

    [Fact]
    public async Task LogsExample_OfTheOtlpSpec_Decodes()
    {
        await using var otlp = await OtlpReceiver.StartAsync();

        var (status, _) = await PostAsync(otlp, "/v1/logs", LogsExample);

        Assert.Equal(HttpStatusCode.OK, status);
        var record = Assert.Single(otlp.Logs);
        Assert.Equal(("Example log record", "Information", 10), (record.Body, record.SeverityText, record.SeverityNumber));
        Assert.Equal(("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174"), (record.TraceId, record.SpanId));
        Assert.Equal("my.library", record.ScopeName);
        Assert.Equal(10L, record.Attributes["int.attribute"]);
        Assert.Equal(637.704, record.Attributes["double.attribute"]);
        Assert.Equal("[many, values]", OtlpValues(record.Attributes["array.attribute"]));
        Assert.Equal("{some.map.key=some value}", OtlpValues(record.Attributes["map.attribute"]));
    }

    [Theory]
    [InlineData("{\"resourceSpans\":[")]
    [InlineData("{\"resourceSpans\":{}}")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\",\"spanId\":\"b7ad6b7169203331\"}]}]}]}")]
    [InlineData("[]")]
    public async Task MalformedJson_IsAnswered400WithAJsonStatus_AndRecorded(string request)
    {
        await using var otlp = await OtlpReceiver.StartAsync();

        var (status, body) = await PostAsync(otlp, "/v1/traces", request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = Assert.Single(otlp.Errors);
        Assert.Equal(400, error.Status);
        using var answer = JsonDocument.Parse(body);
        Assert.Equal(error.Message, answer.RootElement.GetProperty("message").GetString());
        Assert.Empty(otlp.Spans);
    }

    private static string OtlpValues(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> map => "{" + string.Join(", ", map.Select(p => p.Key + "=" + p.Value)) + "}",
        IReadOnlyList<object?> list => "[" + string.Join(", ", list) + "]",
        _ => throw new InvalidOperationException("Not an array or a map: " + value),
    };

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(OtlpReceiver otlp, string path, string json)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(otlp.Endpoint + path, new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
