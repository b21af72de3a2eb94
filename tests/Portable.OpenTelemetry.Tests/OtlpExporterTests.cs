using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Portable.Contracts.Otlp;
using static Portable.OpenTelemetry.Tests.ExporterFixture;

namespace Portable.OpenTelemetry.Tests;

/// <summary>The exporter's queue, flush and self-suppression: what keeps the functions unaffected by export.</summary>
[Collection(ListenerCollection.Name)]
public sealed class OtlpExporterTests
{
    [Fact]
    public async Task AFullQueue_DropsAndCountsSpans_WithoutBlocking_AndSaysSoOnce()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        using var source = new ActivitySource("Queue.Tests." + Guid.NewGuid().ToString("N"));
        var logger = new ListLogger();
        using var exporter = Exporter(Settings(("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.Endpoint), ("OTEL_BSP_MAX_QUEUE_SIZE", "3"), ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "2")), logger, [source.Name]);
        exporter.Start(exportThread: false);

        for (var i = 0; i < 5; i++) source.StartActivity("span " + i)!.Stop();
        Assert.Equal(2, exporter.Dropped);
        Assert.True(exporter.Flush(TimeSpan.FromSeconds(10)));

        var spans = await otlp.WaitForSpansAsync(s => s.Count >= 3, TimeSpan.FromSeconds(10));
        Assert.Equal(["span 0", "span 1", "span 2"], spans.Select(s => s.Name).Order());
        var line = Assert.Single(logger.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("2 span(s) dropped", line.Message, StringComparison.Ordinal);
        Assert.Contains("OTEL_BSP_MAX_QUEUE_SIZE", line.Message, StringComparison.Ordinal);
        Assert.Empty(otlp.Errors);
    }

    [Fact]
    public async Task TheExportersOwnHttpRequests_AreNeitherTracedNorMeasured_WhileTheAppsAre()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        using var source = new ActivitySource("Suppression.Tests." + Guid.NewGuid().ToString("N"));
        using var exporter = Exporter(Settings(("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.Endpoint)), new ListLogger(), [source.Name, "System.Net.Http"], ["System.Net.Http"]);
        exporter.Start(exportThread: false);

        using (source.StartActivity("first")) { }
        Assert.True(exporter.Flush(TimeSpan.FromSeconds(10)));
        using (source.StartActivity("second")) { }
        Assert.True(exporter.Flush(TimeSpan.FromSeconds(10)));
        Assert.True(exporter.Flush(TimeSpan.FromSeconds(10)));
        var exportsOnly = otlp.Spans;
        var exportMetrics = otlp.Metrics;
        using (var client = new HttpClient())
        {
            await client.GetAsync(new Uri(otlp.Endpoint + "/app-call"));
        }

        Assert.True(exporter.Flush(TimeSpan.FromSeconds(10)));

        Assert.Equal(["first", "second"], exportsOnly.Select(s => s.Name));
        Assert.DoesNotContain(exportMetrics, m => m.Name == "http.client.request.duration");
        var spans = await otlp.WaitForSpansAsync(s => s.Any(x => x.ScopeName == "System.Net.Http"), TimeSpan.FromSeconds(10));
        Assert.Single(spans, s => s.ScopeName == "System.Net.Http");
        var metrics = await otlp.WaitForMetricsAsync(m => m.Any(x => x.Name == "http.client.request.duration"), TimeSpan.FromSeconds(10));
        Assert.Equal(1UL, metrics.Last(m => m.Name == "http.client.request.duration").DataPoints.Single().Count);
    }

    [Fact]
    public async Task Flush_SendsQueuedSpansAndMetricsNow_LongBeforeTheScheduleDelay()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        using var source = new ActivitySource("Flush.Tests." + Guid.NewGuid().ToString("N"));
        using var meter = new Meter("Flush.Tests." + Guid.NewGuid().ToString("N"));
        var counter = meter.CreateCounter<long>("flushed.things");
        using var exporter = Exporter(
            Settings(("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.Endpoint), ("OTEL_BSP_SCHEDULE_DELAY", "3600000"), ("OTEL_METRIC_EXPORT_INTERVAL", "3600000")),
            new ListLogger(), [source.Name], [meter.Name]);
        exporter.Start();

        using (source.StartActivity("flushed")) { }
        counter.Add(3);
        var flushed = exporter.Flush(TimeSpan.FromSeconds(10));

        Assert.True(flushed);
        Assert.Equal(["flushed"], otlp.Spans.Select(s => s.Name));
        var metric = Assert.Single(otlp.Metrics);
        Assert.Equal("flushed.things", metric.Name);
        Assert.Equal(3, metric.DataPoints.Single().Value);
        await exporter.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task TheExportThread_SendsOnTheScheduleDelay_AndWhenABatchIsFull()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        using var source = new ActivitySource("Loop.Tests." + Guid.NewGuid().ToString("N"));
        using var exporter = Exporter(
            Settings(("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.Endpoint), ("OTEL_BSP_SCHEDULE_DELAY", "3600000"), ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "3")),
            new ListLogger(), [source.Name]);
        exporter.Start();

        for (var i = 0; i < 3; i++) source.StartActivity("batch " + i)!.Stop();

        var spans = await otlp.WaitForSpansAsync(s => s.Count >= 3, TimeSpan.FromSeconds(20));
        Assert.Equal(3, spans.Count);
        await exporter.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task GzipCompression_ReachesTheReceiverIntact()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        using var source = new ActivitySource("Gzip.Tests." + Guid.NewGuid().ToString("N"));
        using var exporter = Exporter(Settings(("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.Endpoint), ("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip")), new ListLogger(), [source.Name]);
        exporter.Start(exportThread: false);

        using (var activity = source.StartActivity("zipped")) activity!.SetTag("payload", new string('x', 5000));
        Assert.True(exporter.Flush(TimeSpan.FromSeconds(10)));

        var span = Assert.Single(otlp.Spans);
        Assert.Equal(new string('x', 5000), span.Attribute("payload"));
        Assert.Empty(otlp.Errors);
    }

    [Fact]
    public async Task AnUnsampledParent_IsNotExported_ButItsContextStillFlows()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        using var source = new ActivitySource("Sampling.Tests." + Guid.NewGuid().ToString("N"));
        using var exporter = Exporter(Settings(("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.Endpoint)), new ListLogger(), [source.Name]);
        exporter.Start(exportThread: false);
        var unsampled = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);

        using (var child = source.StartActivity("not sampled", ActivityKind.Server, unsampled))
        {
            Assert.NotNull(child);
            Assert.False(child.Recorded);
            Assert.Equal(unsampled.TraceId, child.TraceId);
        }

        using (source.StartActivity("sampled")) { }
        Assert.True(exporter.Flush(TimeSpan.FromSeconds(10)));

        Assert.Equal(["sampled"], otlp.Spans.Select(s => s.Name));
    }
}
