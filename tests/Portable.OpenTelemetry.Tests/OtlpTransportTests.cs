using System.IO.Compression;
using Microsoft.Extensions.Logging;

namespace Portable.OpenTelemetry.Tests;

/// <summary>
/// The transport follows the OTLP/HTTP retry rules: 429/502/503/504 and network errors are retried (honouring Retry-After) within
/// the export timeout, other refusals drop the batch with a log line, a partial success is a warning; gzip and headers as set.
/// </summary>
public sealed class OtlpTransportTests
{
    private static readonly byte[] Payload = [0x0A, 0x03, 0x01, 0x02, 0x03];

    [Fact]
    public async Task A503ThenA429WithRetryAfter_AreRetried_AndThe200Succeeds()
    {
        await using var collector = await ScriptedCollector.StartAsync(
            ScriptedCollector.Status(503, retryAfter: "1"),
            ScriptedCollector.Status(429, retryAfter: "1"),
            ScriptedCollector.Status(200));
        var logger = new ListLogger();
        using var transport = ExporterFixture.Transport(logger);

        var sent = transport.Send(Signal(collector.Url), "2 spans", "spans", Payload, TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.True(sent);
        var requests = collector.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(Payload, r.Body));
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900), "Retry-After: 1 was not honoured");
        Assert.True(requests[2].At - requests[1].At >= TimeSpan.FromMilliseconds(900), "Retry-After: 1 was not honoured");
        Assert.DoesNotContain(logger.Lines, l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A400_IsNotRetried_AndTheLogSaysTheStatusTheBodyAndWhatWasDropped()
    {
        await using var collector = await ScriptedCollector.StartAsync(ScriptedCollector.Status(400, body: "bad span: trace id of 3 bytes"));
        var logger = new ListLogger();
        using var transport = ExporterFixture.Transport(logger);

        var sent = transport.Send(Signal(collector.Url), "7 spans", "spans", Payload, TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.False(sent);
        Assert.Single(collector.Requests);
        var line = Assert.Single(logger.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("400", line.Message, StringComparison.Ordinal);
        Assert.Contains("bad span: trace id of 3 bytes", line.Message, StringComparison.Ordinal);
        Assert.Contains("7 spans", line.Message, StringComparison.Ordinal);
        Assert.Contains(collector.Url, line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetriesStop_AtTheExportTimeout()
    {
        await using var collector = await ScriptedCollector.StartAsync(
            ScriptedCollector.Status(503, retryAfter: "1"), ScriptedCollector.Status(503, retryAfter: "1"), ScriptedCollector.Status(503, retryAfter: "1"),
            ScriptedCollector.Status(503, retryAfter: "1"), ScriptedCollector.Status(503, retryAfter: "1"));
        var logger = new ListLogger();
        using var transport = ExporterFixture.Transport(logger);

        var sent = transport.Send(Signal(collector.Url), "1 span", "spans", Payload, TimeSpan.FromMilliseconds(2500), CancellationToken.None);

        Assert.False(sent);
        Assert.InRange(collector.Requests.Count, 2, 3);
        Assert.Contains(logger.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("503", StringComparison.Ordinal) && l.Message.Contains("export timeout", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnreachableCollector_IsANetworkError_ReportedOnce_NeverThrown()
    {
        var logger = new ListLogger();
        using var transport = ExporterFixture.Transport(logger);
        var signal = Signal("http://127.0.0.1:9");

        var first = transport.Send(signal, "1 span", "spans", Payload, TimeSpan.FromMilliseconds(1500), CancellationToken.None);
        var second = transport.Send(signal, "1 span", "spans", Payload, TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.False(first);
        Assert.False(second);
        var line = Assert.Single(logger.Lines);
        Assert.Contains("127.0.0.1:9", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APartialSuccess_IsLoggedAsAWarning_WithTheRejectedCountAndMessage()
    {
        // ExportTraceServiceResponse { partial_success (1) { rejected_spans (1) = 2, error_message (2) = "too old" } }
        byte[] response = [0x0A, 0x0B, 0x08, 0x02, 0x12, 0x07, .. "too old"u8];
        await using var collector = await ScriptedCollector.StartAsync(ScriptedCollector.Bytes(200, response));
        var logger = new ListLogger();
        using var transport = ExporterFixture.Transport(logger);

        var sent = transport.Send(Signal(collector.Url), "5 spans", "spans", Payload, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.True(sent);
        var line = Assert.Single(logger.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("rejected 2 spans of 5 spans: too old", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gzip_CompressesTheBody_AndSaysSo_AndTheHeadersAreSent()
    {
        await using var collector = await ScriptedCollector.StartAsync();
        using var transport = ExporterFixture.Transport(new ListLogger());
        var signal = Signal(collector.Url) with { Gzip = true, Headers = [new("api-key", "secret value")] };

        Assert.True(transport.Send(signal, "1 span", "spans", Payload, TimeSpan.FromSeconds(10), CancellationToken.None));

        var request = Assert.Single(collector.Requests);
        Assert.Equal("gzip", request.ContentEncoding);
        Assert.Equal("application/x-protobuf", request.ContentType);
        Assert.Equal("secret value", request.Headers["api-key"]);
        using var gunzip = new GZipStream(new MemoryStream(request.Body), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gunzip.CopyTo(plain);
        Assert.Equal(Payload, plain.ToArray());
    }

    private static OtlpSignalSettings Signal(string url) => new(new Uri(url.TrimEnd('/') + "/v1/traces"), [], TimeSpan.FromSeconds(5), false);
}
