using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Portable.Contracts.Otlp;
using static Portable.OpenTelemetry.Tests.ExporterFixture;

namespace Portable.OpenTelemetry.Tests;

/// <summary>
/// The oracle: the same activities and measurements exported by the OpenTelemetry SDK's OTLP exporter and by Portable's, each to its
/// own receiver, decode the same, field by field (the resource's telemetry.sdk.* attributes aside, which name each exporter).
/// </summary>
[Collection(ListenerCollection.Name)]
public sealed class SdkDifferentialTests
{
    [Fact]
    public async Task Spans_OfEveryShape_DecodeTheSameFromTheSdkAndFromPortable()
    {
        await using var sdkReceiver = await OtlpReceiver.StartAsync();
        await using var ourReceiver = await OtlpReceiver.StartAsync();
        var sourceName = "Differential.Traces." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName, "1.2.3");
        using var other = new ActivitySource(sourceName + ".Other");
        using var sdk = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("diff-service", autoGenerateServiceInstanceId: false).AddAttributes([new("team", "a")]))
            .AddSource(sourceName, sourceName + ".Other")
            .AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri(sdkReceiver.Endpoint + "/v1/traces");
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
            })
            .Build()!;
        using var ours = Exporter(
            Settings(("OTEL_EXPORTER_OTLP_ENDPOINT", ourReceiver.Endpoint), ("OTEL_SERVICE_NAME", "diff-service"), ("OTEL_RESOURCE_ATTRIBUTES", "team=a")),
            new ListLogger(), [sourceName, sourceName + ".Other"]);
        ours.Start(exportThread: false);

        var remoteParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, "vendor=abc", isRemote: true);
        var linked = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, "k=v", isRemote: true);
        using (var server = source.StartActivity("PlaceOrder", ActivityKind.Server, remoteParent)!)
        {
            server.SetTag("a.string", "text");
            server.SetTag("a.bool", true);
            server.SetTag("an.int", 42);
            server.SetTag("a.long", long.MaxValue);
            server.SetTag("a.short", (short)-7);
            server.SetTag("a.double", 3.25);
            server.SetTag("a.float", 1.5f);
            server.SetTag("strings", new[] { "x", "y" });
            server.SetTag("ints", new[] { 1, 2, 3 });
            server.SetTag("longs", new long[] { -1, 5 });
            server.SetTag("bools", new[] { true, false });
            server.SetTag("doubles", new[] { 0.5, -2.0 });
            server.SetTag("a.null", null);
            server.SetTag("a.timespan", TimeSpan.FromSeconds(1.5));
            server.SetTag("a.char", 'c');
            using (var client = source.StartActivity("GET", ActivityKind.Client, default(ActivityContext), links: [new ActivityLink(linked, new ActivityTagsCollection { ["link.attr"] = "l", ["link.n"] = 7 })])!)
            {
                client.TraceStateString = "mine=1";
                var error = new InvalidOperationException("boom");
                client.AddException(error);
                client.AddEvent(new ActivityEvent("checkpoint", DateTimeOffset.UtcNow, new ActivityTagsCollection { ["step"] = 2, ["ok"] = false }));
                client.SetStatus(ActivityStatusCode.Error, "it failed");
            }

            using (var producer = other.StartActivity("send orders", ActivityKind.Producer)!) producer.SetStatus(ActivityStatusCode.Ok, "ignored on ok");
            using (other.StartActivity("consume", ActivityKind.Consumer)) { }
            using (source.StartActivity("internal work")) { }
        }

        Assert.True(sdk.ForceFlush(10000));
        Assert.True(ours.Flush(TimeSpan.FromSeconds(10)));
        var expected = await sdkReceiver.WaitForSpansAsync(s => s.Count >= 5, TimeSpan.FromSeconds(20));
        var actual = await ourReceiver.WaitForSpansAsync(s => s.Count >= 5, TimeSpan.FromSeconds(20));

        Assert.Equal(5, actual.Count);
        Assert.Equal(expected.Count, actual.Count);
        foreach (var e in expected)
        {
            var a = actual.Single(s => s.SpanId == e.SpanId);
            Assert.Equal(e.TraceId, a.TraceId);
            Assert.Equal(e.ParentSpanId, a.ParentSpanId);
            Assert.Equal(e.TraceState, a.TraceState);
            Assert.Equal(e.Name, a.Name);
            Assert.Equal(e.Kind, a.Kind);
            Assert.Equal(e.StartTime, a.StartTime);
            Assert.Equal(e.EndTime, a.EndTime);
            Assert.Equal(e.Flags, a.Flags);
            Assert.Equal(e.Status, a.Status);
            Assert.Equal(e.StatusMessage, a.StatusMessage);
            Assert.Equal(e.ScopeName, a.ScopeName);
            Assert.Equal(e.ScopeVersion, a.ScopeVersion);
            Assert.Equal(Describe(e.Attributes), Describe(a.Attributes));
            Assert.Equal(e.Events.Select(v => (v.Name, v.Time, Describe(v.Attributes))), a.Events.Select(v => (v.Name, v.Time, Describe(v.Attributes))));
            Assert.Equal(e.Links.Select(l => (l.TraceId, l.SpanId, l.TraceState, Describe(l.Attributes))), a.Links.Select(l => (l.TraceId, l.SpanId, l.TraceState, Describe(l.Attributes))));
            Assert.Equal(Describe(WithoutSdk(e.Resource)), Describe(WithoutSdk(a.Resource)));
        }

        Assert.Contains(actual, s => s.Attributes.Count >= 14 && s.Links.Count == 0 && s.Kind == ActivityKind.Server);
        Assert.Contains(actual, s => s.Events.Count == 2 && s.Links.Count == 1 && s.Status == ActivityStatusCode.Error);
        Assert.Empty(sdkReceiver.Errors);
        Assert.Empty(ourReceiver.Errors);
    }

    [Theory]
    [InlineData("cumulative")]
    [InlineData("delta")]
    public async Task Metrics_OfEveryInstrumentKind_DecodeTheSameFromTheSdkAndFromPortable(string temporality)
    {
        await using var sdkReceiver = await OtlpReceiver.StartAsync();
        await using var ourReceiver = await OtlpReceiver.StartAsync();
        using var meter = new Meter("Differential.Metrics." + Guid.NewGuid().ToString("N"), "2.0");
        using var sdk = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("diff-service", autoGenerateServiceInstanceId: false))
            .AddMeter(meter.Name)
            .AddOtlpExporter((o, reader) =>
            {
                o.Endpoint = new Uri(sdkReceiver.Endpoint + "/v1/metrics");
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                reader.TemporalityPreference = temporality == "delta" ? MetricReaderTemporalityPreference.Delta : MetricReaderTemporalityPreference.Cumulative;
            })
            .Build()!;
        using var ours = Exporter(
            Settings(("OTEL_EXPORTER_OTLP_ENDPOINT", ourReceiver.Endpoint), ("OTEL_SERVICE_NAME", "diff-service"), ("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", temporality)),
            new ListLogger(), [], [meter.Name]);
        ours.Start(exportThread: false);

        var observed = 40L;
        var longs = meter.CreateCounter<long>("c.long", "{order}", "orders placed");
        var doubles = meter.CreateCounter<double>("c.double", "s");
        var upDown = meter.CreateUpDownCounter<int>("ud.int");
        var histogram = meter.CreateHistogram<double>("h.double", "ms", "latency");
        var advised = meter.CreateHistogram<int>("h.advised", null, null, null, new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4] });
        var floats = meter.CreateHistogram<float>("h.float");
        var gauge = meter.CreateGauge<double>("g.double");
        meter.CreateObservableCounter("oc.long", () => new Measurement<long>(observed, new KeyValuePair<string, object?>("zone", "a")));
        meter.CreateObservableUpDownCounter("oud.double", () => -1.5);
        meter.CreateObservableGauge("og.int", () => new[] { new Measurement<int>(7, new KeyValuePair<string, object?>("cpu", 0)), new Measurement<int>(9, new KeyValuePair<string, object?>("cpu", 1)) });

        void Record(int round)
        {
            observed = 40 + 7 * round; // both exporters read the callback, so it only reads

            longs.Add(1, new("b", 1), new("a", "x"));
            longs.Add(2 + round, new("a", "x"), new("b", 1));
            longs.Add(5, new KeyValuePair<string, object?>("a", "y"));
            doubles.Add(0.25);
            upDown.Add(5, new KeyValuePair<string, object?>("q", "orders"));
            upDown.Add(-2, new KeyValuePair<string, object?>("q", "orders"));
            foreach (var v in new[] { 0, 5, 5.5, 10, 250, 10000, 10001, -3 }) histogram.Record(v + round, new KeyValuePair<string, object?>("route", "/orders"));
            foreach (var v in new[] { 0, 1, 2, 3, 4, 5 }) advised.Record(v);
            floats.Record(0.5f + round);
            gauge.Record(3 + round);
            gauge.Record(7 + round);
        }

        Record(0);
        Assert.True(sdk.ForceFlush(10000));
        Assert.True(ours.Flush(TimeSpan.FromSeconds(10)));
        Record(1);
        Assert.True(sdk.ForceFlush(10000));
        Assert.True(ours.Flush(TimeSpan.FromSeconds(10)));

        var names = new[] { "c.long", "c.double", "ud.int", "h.double", "h.advised", "h.float", "g.double", "oc.long", "oud.double", "og.int" };
        await sdkReceiver.WaitForMetricsAsync(m => names.All(n => m.Count(x => x.Name == n) >= 2), TimeSpan.FromSeconds(20));
        await ourReceiver.WaitForMetricsAsync(m => names.All(n => m.Count(x => x.Name == n) >= 2), TimeSpan.FromSeconds(20));
        foreach (var round in new[] { 0, 1 })
        {
            foreach (var name in names)
            {
                var e = sdkReceiver.Metrics.Where(m => m.Name == name).ElementAt(round);
                var a = ourReceiver.Metrics.Where(m => m.Name == name).ElementAt(round);
                var where = $"{name} ({temporality}, export {round + 1})";
                Assert.True(e.Kind == a.Kind, $"{where}: kind {a.Kind}, the SDK's {e.Kind}");
                Assert.True(e.IsMonotonic == a.IsMonotonic, $"{where}: monotonic {a.IsMonotonic}");
                Assert.True(e.Temporality == a.Temporality, $"{where}: temporality {a.Temporality}, the SDK's {e.Temporality}");
                Assert.Equal(e.Unit, a.Unit);
                Assert.Equal(e.Description, a.Description);
                Assert.Equal(e.ScopeName, a.ScopeName);
                Assert.Equal(Describe(WithoutSdk(e.Resource)), Describe(WithoutSdk(a.Resource)));
                Assert.Equal(Points(e), Points(a));
            }
        }

        Assert.Empty(sdkReceiver.Errors);
        Assert.Empty(ourReceiver.Errors);
    }

    private static IEnumerable<KeyValuePair<string, object?>> WithoutSdk(IReadOnlyDictionary<string, object?> resource) => resource.Where(p => !p.Key.StartsWith("telemetry.sdk.", StringComparison.Ordinal));

    private static string Describe(IEnumerable<KeyValuePair<string, object?>> attributes) =>
        string.Join("; ", attributes.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + Format(p.Value)));

    private static string Format(object? value) => value switch
    {
        null => "null",
        IReadOnlyList<object?> list => "[" + string.Join(", ", list.Select(Format)) + "]",
        double d => "double:" + d.ToString("R", CultureInfo.InvariantCulture),
        _ => value.GetType().Name + ":" + Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static string[] Points(OtlpMetric metric) => metric.DataPoints
        .Select(p => string.Create(CultureInfo.InvariantCulture,
            $"[{Describe(p.Attributes)}] long={p.LongValue} double={p.DoubleValue} count={p.Count} sum={p.Sum} min={p.Min} max={p.Max} buckets={string.Join(",", p.BucketCounts)} bounds={string.Join(",", p.ExplicitBounds)}"))
        .Order(StringComparer.Ordinal)
        .ToArray();
}
