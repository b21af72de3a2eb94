using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Portable.Azure.Tests;

/// <summary>
/// Edges the fuzz run found in custom-handler invocations (<c>POST /{FunctionName}</c>): invalid UTF-8 in a member no reader
/// decodes, and a non-forwarded HTTP invocation whose <c>Data.req.Url</c> is another route than the function's (which has no
/// route parameters). Each answers a clear client error with a <c>Logs</c> line and a log line, and the function does not run.
/// </summary>
public sealed class PayloadEdgeTests : IAsyncLifetime
{
    private const string Bad = "<BAD>"; // replaced by invalid UTF-8: a CESU-8 surrogate or the byte 0xFF

    private readonly Probe _probe = new();
    private readonly LogCapture _logs = new();
    private RunningHandler _handler = null!;

    // The host sends an HTTP function's request as a payload (Data.req) when it does not forward it; with the empty route prefix,
    // POST /order is otherwise the forwarded request of the function "order" itself.
    public async Task InitializeAsync() => _handler = await RunningHandler.StartAsync(TestApp.Configure(_probe), NotForwarded, _logs);

    internal static readonly Dictionary<string, string?> NotForwarded = new() { ["Portable:Azure:ForwardHttpRequests"] = "false" };

    public async Task DisposeAsync() => await _handler.DisposeAsync();

    public static TheoryData<string, string, int, string?, string> Payloads => new()
    {
        // function, payload, handler status, res status (HTTP functions), what the Logs line says
        { "ProcessOrder", $$$"""{"Data":{"message":"{\"orderId\":1,\"quantity\":2}"},"Metadata":{"Extra":"{{{Bad}}}","DequeueCount":1}}""", 400, null, "not valid UTF-8" },
        { "ProcessOrder", $$$"""{"Data":{"message":"{\"orderId\":1,\"quantity\":2}"},"Metadata":{"x{{{Bad}}}":1}}""", 400, null, "not valid UTF-8" },
        { "ProcessOrder", $$$"""{"Data":{"message":{"orderId":1,"quantity":2,"note":"{{{Bad}}}"}},"Metadata":{}}""", 400, null, "not valid UTF-8" },
        { "Poll", $$$$"""{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"Note":"{{{{Bad}}}}"}},"Metadata":{"sys":{"UtcNow":"2024-01-01T00:00:00Z"}}}""", 400, null, "not valid UTF-8" },
        { "order", Req("https://a.net/order", metadata: $$$"""{"sys":{"MethodName":"order","Extra":"{{{Bad}}}"}}"""), 200, "400", "not valid UTF-8" },

        // Data.req.Url off the route of a function without route parameters: another route, a longer path, the prefix alone.
        { "order", Req("https://a.net/hello"), 200, "404", "does not match its route /order" },
        { "order", Req("https://a.net/order/x"), 200, "404", "does not match its route /order" },
        { "order", Req("https://a.net/orders"), 200, "404", "does not match its route /order" },
        { "order", Req("https://a.net/api"), 200, "404", "does not match its route /order" },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task EdgePayload_AnswersAClearClientErrorWithALogsLine_AndLogsIt(string function, string payload, int status, string? resStatus, string says)
    {
        foreach (var bad in new byte[][] { [0xED, 0xA0, 0x80], [0xFF] })
        {
            var invocationId = "inv-" + Guid.NewGuid().ToString("N");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = new ByteArrayContent(Bytes(payload, bad)) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("X-Azure-Functions-InvocationId", invocationId);

            using var response = await _handler.Client.SendAsync(request);

            Assert.Equal((HttpStatusCode)status, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
            var line = Assert.Single(body.RootElement.GetProperty("Logs").EnumerateArray()).GetString()!;
            Assert.Contains(says, line, StringComparison.Ordinal);
            if (resStatus is null)
            {
                Assert.False(body.RootElement.GetProperty("Outputs").TryGetProperty("res", out _));
            }
            else
            {
                var res = body.RootElement.GetProperty("Outputs").GetProperty("res");
                Assert.Equal(resStatus, res.GetProperty("statusCode").GetString());
                Assert.Equal("application/problem+json", res.GetProperty("headers").GetProperty("Content-Type").GetString());
            }

            Assert.Contains(_logs.Lines, l => l.Level >= LogLevel.Warning && l.Message.Contains(invocationId, StringComparison.Ordinal));
            Assert.Empty(_probe.Seen);
            if (!payload.Contains(Bad, StringComparison.Ordinal)) break;
        }
    }

    [Theory]
    [InlineData("https://a.net/order")]
    [InlineData("https://a.net/ORDER/")]
    [InlineData("https://a.net/order?x=1")]
    public async Task HttpInvocation_OnTheFunctionsOwnRoute_StillRuns(string url)
    {
        var response = await _handler.InvokeAsync("order", Req(url), "inv-route");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(body.RootElement.GetProperty("Logs").EnumerateArray());
        Assert.Equal("inv-route", _probe.Single("order").InvocationId);
    }

    [Fact]
    public async Task QueueInvocation_WithNonAsciiTextOutsideTheMessage_StillRuns()
    {
        var response = await _handler.InvokeAsync("ProcessOrder", """{"Data":{"message":"{\"orderId\":1,\"quantity\":2}"},"Metadata":{"Extra":"é 😀"}}""", "inv-utf8");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("inv-utf8", _probe.Single("ProcessOrder").InvocationId);
    }

    /// <summary>A non-forwarded HTTP payload, as the host sends it for <c>POST {url}</c>.</summary>
    private static string Req(string url, string metadata = """{"sys":{"MethodName":"order"}}""")
        => $$$"""{"Data":{"req":{"Method":"POST","Url":"{{{url}}}","Headers":{},"Body":"{}"}},"Metadata":{{{metadata}}}}""";

    private static byte[] Bytes(string payload, byte[] bad)
    {
        var at = payload.IndexOf(Bad, StringComparison.Ordinal);
        if (at < 0) return Encoding.UTF8.GetBytes(payload);
        return [.. Encoding.UTF8.GetBytes(payload[..at]), .. bad, .. Encoding.UTF8.GetBytes(payload[(at + Bad.Length)..])];
    }
}
