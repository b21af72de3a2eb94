using System.Net.Sockets;
using System.Text;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>
/// Malformed HTTP/1.1 framing, written byte by byte on a raw socket to the real Kestrel host (the same KestrelHttp every Kestrel
/// host uses), is the caller's error: 400, never 500, and the host keeps serving.
/// </summary>
public sealed class FramingErrorTests
{
    public static TheoryData<string, string> Malformed => new()
    {
        { "a chunk size over 64 bits", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nhello\r\n0\r\n\r\n" },
        { "a chunk size that is not hex", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n" },
        { "a trailer with byte 0xFF", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Trailer: \xFF\r\n\r\n" },
        { "a trailer name with byte 0xFF", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-\xFF: v\r\n\r\n" },
        { "a trailer without a colon", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nnocolon\r\n\r\n" },
        { "a chunk without its CRLF", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n" },
        { "a Content-Length that is not a number", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\nhello" },
        { "a negative Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\nhello" },
        { "two different Content-Lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello" },
        { "a Content-Length over 64 bits", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\nhello" },
        { "a header value with byte 0x00", "GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\0b\r\n\r\n" },
        { "a header name with byte 0xFF", "GET / HTTP/1.1\r\nHost: x\r\nX-\xFF: v\r\n\r\n" },
        { "a header value with byte 0xFF", "GET / HTTP/1.1\r\nHost: x\r\nX-Bad: \xFF\xFE\r\n\r\n" },
        { "a header without a colon", "GET / HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n" },
        { "an unknown transfer coding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nhello" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task MalformedFraming_Answers400_AndTheHostKeepsServing(string what, string raw)
    {
        await using var host = await RunningGcpHost.StartAsync("echo");
        var answer = await RawHttp.SendAsync(host.Client.BaseAddress!, raw);

        Assert.True(answer.StartsWith("HTTP/1.1 400 ", StringComparison.Ordinal), $"{what}: {answer}\n{host.Log}");
        var errors = host.Log.Split('\n').Where(line => line.Contains("\"ERROR\"", StringComparison.Ordinal) && !KestrelOwnConnectionLine(line)).ToList();
        Assert.True(errors.Count == 0, $"{what}: error lines in the log:\n{string.Join('\n', errors)}");
        Assert.Empty(host.Recorder.HttpCalls);
        var again = await RawHttp.SendAsync(host.Client.BaseAddress!, "GET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 ", again, StringComparison.Ordinal);
    }

    /// <summary>
    /// Kestrel's own lines when, after the 400 is written, it closes a connection whose body it cannot read to its end (a
    /// malformed trailer): "Connection processing ended abnormally", or "automatic draining of the request body failed because
    /// the body reader is in an invalid state" (which of the two depends on timing). Kestrel's connection handling, logged by
    /// Kestrel itself, not the adapter's answer (asserted above), and not something the app can catch.
    /// </summary>
    private static bool KestrelOwnConnectionLine(string line)
        => line.Contains("Connection processing ended abnormally", StringComparison.Ordinal)
           || line.Contains("automatic draining of the request body failed because the body reader is in an invalid state", StringComparison.Ordinal);

    public static TheoryData<string, string> Truncated => new()
    {
        { "a truncated chunked body", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel" },
        { "a large truncated chunked body", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n100000\r\n" + new string('a', 70000) },
        { "a truncated body of known length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello" },
        { "a truncated large body of known length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + new string('a', 70000) },
    };

    [Theory]
    [MemberData(nameof(Truncated))]
    public async Task BodyCutShortByAClientThatLeft_IsNeverA500NorAnErrorLog_AndTheHostKeepsServing(string what, string raw)
    {
        await using var host = await RunningGcpHost.StartAsync("echo");
        var answer = await RawHttp.SendAsync(host.Client.BaseAddress!, raw, halfClose: true);

        // The client has gone; Kestrel may still be able to write a 400, or see the end as an abort and write nothing.
        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 400 ", StringComparison.Ordinal), $"{what}: {answer}\n{host.Log}");
        Assert.DoesNotContain("\"ERROR\"", host.Log, StringComparison.Ordinal);
        Assert.Empty(host.Recorder.HttpCalls);
        var again = await RawHttp.SendAsync(host.Client.BaseAddress!, "GET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 ", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkExtensionWithByte0xFF_IsSkippedAsKestrelSkipsEveryExtension_AndTheBodyArrivesWhole()
    {
        // RFC 9112 lets a recipient ignore chunk extensions it does not understand; Kestrel ignores them all, unread.
        await using var host = await RunningGcpHost.StartAsync("echo");
        var answer = await RawHttp.SendAsync(host.Client.BaseAddress!, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=\xFF\r\nhello\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200 ", answer, StringComparison.Ordinal);
        Assert.Contains("body=hello", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedChunkedBody_ReadByTheAdapter_AnswersAProblemDocumentAndLogsOnce()
    {
        await using var host = await RunningGcpHost.StartAsync("echo");
        var answer = await RawHttp.SendAsync(host.Client.BaseAddress!, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nhello\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Single(host.LogLines, line => line.Contains("refused as malformed", StringComparison.Ordinal));
    }
}

/// <summary>
/// Writes bytes as they are (each char one byte) on a fresh TCP connection and reads one answer: its head and the body its
/// Content-Length announces, or whatever came before the server closed. With <c>halfClose</c>, the client ends its side after
/// writing, as a client that went away mid-body does.
/// </summary>
internal static class RawHttp
{
    public static async Task<string> SendAsync(Uri address, string raw, bool halfClose = false)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(raw));
        if (halfClose) client.Client.Shutdown(SocketShutdown.Send);
        var answer = new StringBuilder();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            int read;
            while (!IsComplete(answer.ToString()) && (read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                answer.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The server kept the connection open without a whole answer, or reset it: what arrived is the answer.
        }

        return answer.ToString();
    }

    private static bool IsComplete(string answer)
    {
        var end = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return false;
        var head = answer[..end];
        var at = head.IndexOf("Content-Length:", StringComparison.OrdinalIgnoreCase);
        if (at < 0) return true;
        var line = head[(at + "Content-Length:".Length)..].Split("\r\n")[0].Trim();
        return answer.Length - end - 4 >= int.Parse(line, System.Globalization.CultureInfo.InvariantCulture);
    }
}
