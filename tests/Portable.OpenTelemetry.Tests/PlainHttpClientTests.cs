using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Portable.OpenTelemetry.Tests;

/// <summary>
/// The exporter's own HTTP/1.1 client for http:// collectors, against a raw TCP collector: the answer's framing (Content-Length,
/// chunked, to the close), interim answers, the kept connection and when it is not kept, and malformed answers as failed attempts.
/// </summary>
public sealed class PlainHttpClientTests
{
    private static readonly byte[] Payload = [0x0A, 0x03, 0x01, 0x02, 0x03];

    [Fact]
    public async Task TheRequest_IsAPostWithHostAndPort_ContentLengthAndTheConfiguredHeaders()
    {
        await using var collector = RawCollector.Start();
        using var transport = ExporterFixture.Transport(new ListLogger());
        var signal = Signal(collector.Url) with { Gzip = true, Headers = [new("api-key", "secret value")] };

        Assert.True(transport.Send(signal, "1 span", "spans", Payload, TimeSpan.FromSeconds(10), CancellationToken.None));

        var request = Assert.Single(collector.Requests);
        Assert.Equal("POST /v1/traces HTTP/1.1", request.RequestLine);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{collector.Port}"), request.Headers["Host"]);
        Assert.Equal("application/x-protobuf", request.Headers["Content-Type"]);
        Assert.Equal("gzip", request.Headers["Content-Encoding"]);
        Assert.Equal("secret value", request.Headers["api-key"]);
        Assert.Equal(request.Body.Length.ToString(CultureInfo.InvariantCulture), request.Headers["Content-Length"]);
    }

    [Fact]
    public async Task TwoExports_GoOverOneKeptConnection()
    {
        await using var collector = RawCollector.Start();
        using var transport = ExporterFixture.Transport(new ListLogger());

        Assert.True(SendOne(transport, collector));
        Assert.True(SendOne(transport, collector));

        Assert.Equal(2, collector.Requests.Count);
        Assert.Equal(1, collector.Accepted);
    }

    [Fact]
    public async Task AChunkedAnswer_WithExtensionsAndTrailers_IsRead_AndTheConnectionIsKept()
    {
        // ExportTraceServiceResponse { partial_success { rejected_spans = 2, error_message = "too old" } }, split over two chunks.
        byte[] message = [0x0A, 0x0B, 0x08, 0x02, 0x12, 0x07, .. "too old"u8];
        var answer = Concat(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/x-protobuf\r\n\r\n",
            "4;name=value\r\n", message[..4], "\r\n",
            "9\r\n", message[4..], "\r\n",
            "0\r\nX-Trailer: ignored\r\n\r\n");
        await using var collector = RawCollector.Start(RawCollector.Answer(answer));
        var logger = new ListLogger();
        using var transport = ExporterFixture.Transport(logger);

        Assert.True(transport.Send(Signal(collector.Url), "5 spans", "spans", Payload, TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.True(SendOne(transport, collector));

        var line = Assert.Single(logger.Lines);
        Assert.Contains("rejected 2 spans of 5 spans: too old", line.Message, StringComparison.Ordinal);
        Assert.Equal(1, collector.Accepted);
    }

    [Fact]
    public async Task AnAnswerEndingWithTheConnection_IsRead_AndTheNextExportOpensANewOne()
    {
        await using var collector = RawCollector.Start(RawCollector.Answer("HTTP/1.1 400 Bad Request\r\n\r\nbad span: no trace id", close: true));
        var logger = new ListLogger();
        using var transport = ExporterFixture.Transport(logger);

        Assert.False(SendOne(transport, collector));
        Assert.True(SendOne(transport, collector));

        var line = Assert.Single(logger.Lines);
        Assert.Contains("400 Bad Request (not retried): bad span: no trace id", line.Message, StringComparison.Ordinal);
        Assert.Equal(2, collector.Accepted);
    }

    [Fact]
    public async Task ConnectionClose_IsHonoured_EvenWhenTheCollectorKeepsTheConnectionOpen()
    {
        await using var collector = RawCollector.Start(RawCollector.Answer("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
        using var transport = ExporterFixture.Transport(new ListLogger());

        Assert.True(SendOne(transport, collector));
        Assert.True(SendOne(transport, collector));

        Assert.Equal(2, collector.Requests.Count);
        Assert.Equal(2, collector.Accepted);
    }

    [Fact]
    public async Task ACollectorThatClosedTheIdleConnection_GetsTheNextExportOnANewOne_WithoutARetryDelay()
    {
        await using var collector = RawCollector.Start(RawCollector.Answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", close: true));
        var logger = new ListLogger();
        using var transport = ExporterFixture.Transport(logger);
        Assert.True(SendOne(transport, collector));
        await Task.Delay(100);

        var clock = Stopwatch.StartNew();
        Assert.True(SendOne(transport, collector));

        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(450), $"the second export took {clock.ElapsedMilliseconds} ms: it waited for a retry");
        Assert.Equal(2, collector.Requests.Count);
        Assert.Equal(2, collector.Accepted);
        Assert.Empty(logger.Lines);
    }

    [Fact]
    public async Task AKeptConnectionClosedAsTheRequestArrives_IsSentOnceMoreAtOnce_NotCountedAsAFailedAttempt()
    {
        await using var collector = RawCollector.Start(RawCollector.Answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), RawCollector.Drop());
        var logger = new ListLogger();
        using var transport = ExporterFixture.Transport(logger);
        Assert.True(SendOne(transport, collector));

        var clock = Stopwatch.StartNew();
        Assert.True(SendOne(transport, collector));

        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(450), $"the second export took {clock.ElapsedMilliseconds} ms: it waited for a retry");
        Assert.Equal(3, collector.Requests.Count);
        Assert.Equal(2, collector.Accepted);
        Assert.Empty(logger.Lines);
    }

    [Fact]
    public async Task RetryAfterAsAnHttpDate_IsHonoured()
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(3);
        await using var collector = RawCollector.Start(
            RawCollector.Answer($"HTTP/1.1 503 Service Unavailable\r\nRetry-After: {at.ToString("r", CultureInfo.InvariantCulture)}\r\nContent-Length: 0\r\n\r\n"));
        var logger = new ListLogger();
        using var transport = ExporterFixture.Transport(logger);

        Assert.True(transport.Send(Signal(collector.Url), "1 span", "spans", Payload, TimeSpan.FromSeconds(20), CancellationToken.None));

        var requests = collector.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(1900), $"retried after {(requests[1].At - requests[0].At).TotalMilliseconds:0} ms");
        Assert.Empty(logger.Lines);
    }

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:49:37 GMT")]
    [InlineData("Sun Nov  6 08:49:37 1994")]
    public void RetryAfter_ReadsTheThreeHttpDateForms_APastDateBeingNoWait(string date)
        => Assert.Equal(TimeSpan.Zero, OtlpTransport.RetryAfter(date));

    [Theory]
    [InlineData("7", 7.0)]
    [InlineData(" 0 ", 0.0)]
    [InlineData("soon", null)]
    [InlineData("-3", null)]
    [InlineData(null, null)]
    public void RetryAfter_ReadsDeltaSeconds_AndIgnoresAnythingElse(string? value, double? seconds)
        => Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, OtlpTransport.RetryAfter(value));

    [Fact]
    public async Task A100Continue_IsSkipped_AndTheFinalAnswerCounts()
    {
        await using var collector = RawCollector.Start(RawCollector.Answer(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\nContent-Length: 9\r\n\r\nnot today"));
        var logger = new ListLogger();
        using var transport = ExporterFixture.Transport(logger);

        Assert.False(SendOne(transport, collector));

        var line = Assert.Single(logger.Lines);
        Assert.Contains("400 Bad Request (not retried): not today", line.Message, StringComparison.Ordinal);
        Assert.Single(collector.Requests);
    }

    [Fact]
    public async Task ABodyOver64KiB_IsKeptTo64KiB_AndReadToItsEnd_SoTheConnectionServesTheNextExport()
    {
        var text = new string('x', 100_000);
        await using var collector = RawCollector.Start(RawCollector.Answer($"HTTP/1.1 400 Bad Request\r\nContent-Length: {text.Length}\r\n\r\n{text}"));
        using var client = new PlainHttpClient();

        var first = client.Post(Signal(collector.Url), Payload, CancellationToken.None);
        var second = client.Post(Signal(collector.Url), Payload, CancellationToken.None);

        Assert.Equal(400, first.Status);
        Assert.Equal("Bad Request", first.Reason);
        Assert.Equal(OtlpAnswer.MaxBody, first.Body.Length);
        Assert.Equal(200, second.Status);
        Assert.Equal(1, collector.Accepted);
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n\r\n", "its status line is 'SSH-2.0-OpenSSH_9.6'")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "a chunk's size line is 'zz'")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "the header line 'no colon here' has no name")]
    public async Task AMalformedAnswer_IsAFailedAttempt_LoggedWithWhatWasWrong_NeverThrown(string answer, string expected)
    {
        await using var collector = RawCollector.Start(RawCollector.Answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", close: true), RawCollector.Answer(answer, close: true));
        var logger = new ListLogger();
        using var transport = ExporterFixture.Transport(logger);
        Assert.True(SendOne(transport, collector)); // compiled and connected once

        // An export timeout shorter than the first backoff (at least 500 ms): one attempt, whose failure is the line.
        var sent = transport.Send(Signal(collector.Url), "1 span", "spans", Payload, TimeSpan.FromMilliseconds(450), CancellationToken.None);

        Assert.False(sent);
        var line = Assert.Single(logger.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.True(line.Message.Contains("attempt 1 failed (the collector's answer is not HTTP/1.1: " + expected, StringComparison.Ordinal), line.Message);
    }

    [Fact]
    public async Task AMalformedAnswer_IsRetried_LikeANetworkError()
    {
        await using var collector = RawCollector.Start(RawCollector.Answer("garbage\r\n\r\n", close: true));
        var logger = new ListLogger();
        using var transport = ExporterFixture.Transport(logger);

        Assert.True(SendOne(transport, collector));

        Assert.Equal(2, collector.Requests.Count);
        Assert.Empty(logger.Lines);
    }

    [Fact]
    public async Task AHeaderLineOverTheLimit_IsAFailedAttempt()
    {
        await using var collector = RawCollector.Start(RawCollector.Answer($"HTTP/1.1 200 OK\r\nX-Big: {new string('b', 10_000)}\r\n\r\n", close: true));
        using var client = new PlainHttpClient();

        var error = Assert.Throws<IOException>(() => client.Post(Signal(collector.Url), Payload, CancellationToken.None));

        Assert.Contains("longer than 8192 bytes", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Exports one span to <paramref name="collector"/> with a 10 s export timeout.</summary>
    private static bool SendOne(OtlpTransport transport, RawCollector collector)
        => transport.Send(Signal(collector.Url), "1 span", "spans", Payload, TimeSpan.FromSeconds(10), CancellationToken.None);

    private static OtlpSignalSettings Signal(string url) => new(new Uri(url.TrimEnd('/') + "/v1/traces"), [], TimeSpan.FromSeconds(5), false);

    private static byte[] Concat(params object[] parts)
    {
        using var bytes = new MemoryStream();
        foreach (var part in parts) bytes.Write(part is string text ? Encoding.Latin1.GetBytes(text) : (byte[])part);
        return bytes.ToArray();
    }
}
