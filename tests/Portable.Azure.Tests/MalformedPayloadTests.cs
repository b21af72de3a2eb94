using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Portable.Azure.Tests;

/// <summary>
/// Malformed custom-handler payloads (<c>POST /{FunctionName}</c>) through the real handler on Kestrel: each answers a clear
/// client error, never an empty 500: an HTTP function a 200 whose <c>res</c> is a 400 problem (404 for a URL off its route),
/// any other function a 400 (the host's retries end in its poison queue), always with a <c>Logs</c> line, and the same reason
/// in the handler's own log.
/// </summary>
public sealed class MalformedPayloadTests : IAsyncLifetime
{
    private const string Ff = "<FF>"; // replaced by the byte 0xFF: invalid UTF-8
    private const string Meta = """{"sys":{"MethodName":"x"}}""";

    private readonly Probe _probe = new();
    private readonly LogCapture _logs = new();
    private RunningHandler _handler = null!;

    public async Task InitializeAsync() => _handler = await RunningHandler.StartAsync(builder =>
    {
        TestApp.Configure(_probe)(builder);
        builder.Functions.MapHttp<EchoRequest>("GET /items/{id}", name: "item");
    }, PayloadEdgeTests.NotForwarded, _logs); // HTTP functions are sent as payloads (Data.req), not forwarded

    public async Task DisposeAsync() => await _handler.DisposeAsync();

    public static TheoryData<string, string, int, string?, string> Payloads => new()
    {
        // function, payload, handler status, res status (HTTP functions), what the Logs line says
        { "order", "not json", 200, "400", "not JSON" },
        { "order", "", 200, "400", "not JSON" },
        { "order", "[1,2]", 200, "400", "payload is an array" },
        { "order", """{"Metadata":{}}""", 200, "400", "Data is missing, not an object" },
        { "order", """{"Data":[1],"Metadata":{}}""", 200, "400", "Data is an array, not an object" },
        { "order", """{"Data":{},"Metadata":{}}""", 200, "400", "has no 'req' value" },
        { "order", """{"Data":{"req":"POST /order"},"Metadata":{}}""", 200, "400", "request is a string, not an object" },
        { "order", Req("\"\"", "\"https://a.net/order\""), 200, "400", "Method is empty" },
        { "order", Req("42", "\"https://a.net/order\""), 200, "400", "Method is a number, not a string" },
        { "order", Req("1e99999", "\"https://a.net/order\""), 200, "400", "Method is a number, not a string" },
        { "order", Req("null", "\"https://a.net/order\""), 200, "400", "Method is null, not a string" },
        { "order", Req("\"PO ST\"", "\"https://a.net/order\""), 200, "400", "is not an HTTP method" },
        { "order", Req("\"POST\"", "{}"), 200, "400", "Url is an object, not a string" },
        { "order", Req("\"POST\"", "\"not a url\""), 200, "400", "not an absolute http(s) URL" },
        { "order", Req("\"POST\"", "\"/order\""), 200, "400", "not an absolute http(s) URL" },
        { "order", Req("\"POST\"", $"\"https://a.net/{Ff}\""), 200, "400", "Data.req.Url is not valid text" },
        { "order", Req("\"POST\"", "\"https://a.net/order\"", headers: """{"X-A":"\ud800"}"""), 200, "400", "Data.req.Headers.X-A is not valid text" },
        { "order", Req("\"POST\"", "\"https://a.net/order\"", headers: $$"""{"X-{{Ff}}":"a"}"""), 200, "400", "member name in Data.req.Headers is not valid text" },
        { "order", Req("\"POST\"", "\"https://a.net/order\"", body: $"\"{Ff}\\\"\""), 200, "400", "Data.req.Body is not valid text" },
        { "order", Req("\"POST\"", "\"https://a.net/order\"", body: new string('[', 200) + new string(']', 200)), 200, "400", "not JSON" },
        { "order", Req("\"POST\"", "\"https://a.net/order\"", metadata: $$"""{"Id":"{{Ff}}"}"""), 200, "400", "Id is not valid text" },
        { "order", Req("\"POST\"", "\"https://a.net/order\"", metadata: "\"meta\""), 200, "400", "Metadata is a string, not an object" },
        { "item", Req("\"GET\"", "\"https://a.net/other/place\""), 200, "404", "does not match its route /items/{id}" },
        { "ProcessOrder", "not json", 400, null, "not JSON" },
        { "ProcessOrder", """{"Data":"x","Metadata":{}}""", 400, null, "Data is a string, not an object" },
        { "ProcessOrder", """{"Data":{"a":"1","b":"2"},"Metadata":{}}""", 400, null, "has no 'message' value and 2 others" },
        { "ProcessOrder", """{"Data":{"message":"\ud800"},"Metadata":{}}""", 400, null, "Data.message is not valid text" },
        { "ProcessOrder", $$$"""{"Data":{"message":"{}"},"Metadata":{"Id":"{{{Ff}}}"}}""", 400, null, "Id is not valid text" },
        { "ProcessOrder", """{"Data":{"message":42},"Metadata":{}}""", 400, null, "refused the message" },
        { "ProcessOrder", """{"Data":{"message":"{\"orderId\":1e99999,\"quantity\":1}"},"Metadata":{}}""", 400, null, "refused the message" },
        { "ProcessOrder", """{"Data":{"message":"{\"orderId\":[[[[1]]]],\"quantity\":1}"},"Metadata":{}}""", 400, null, "refused the message" },
        { "Poll", $$$$"""{"Data":{"timer":{}},"Metadata":{"sys":{"UtcNow":"{{{{Ff}}}}"}}}""", 400, null, "UtcNow is not valid text" },
        { "OnEvent", """{"Data":{"event":5},"Metadata":{}}""", 400, null, "The event is not a JSON object" },
        { "OnEvent", $$$"""{"Data":{"event":{"id":"{{{Ff}}}","eventType":"a","subject":"s"}},"Metadata":{}}""", 400, null, "id is not valid text" },
        { "OnNotice", """{"Data":{"event":"{not json"},"Metadata":{}}""", 400, null, "The event is a string that is not JSON" },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task MalformedPayload_AnswersAClearClientErrorWithALogsLine_AndLogsTheSameReason(string function, string payload, int status, string? resStatus, string says)
    {
        var invocationId = "inv-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = new ByteArrayContent(Bytes(payload)) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Azure-Functions-InvocationId", invocationId);

        using var response = await _handler.Client.SendAsync(request);

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["Outputs", "Logs", "ReturnValue"], body.RootElement.EnumerateObject().Select(p => p.Name));
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
            using var problem = JsonDocument.Parse(res.GetProperty("body").GetString()!);
            Assert.Equal(int.Parse(resStatus, System.Globalization.CultureInfo.InvariantCulture), problem.RootElement.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()));
        }

        Assert.Contains(_logs.Lines, l => l.Level >= LogLevel.Warning && l.Message.Contains(says, StringComparison.Ordinal)
            && l.Message.Contains(invocationId, StringComparison.Ordinal));
        Assert.Empty(_probe.Seen);
    }

    [Fact]
    public async Task AfterEveryMalformedPayload_TheHandlerStillServesAValidInvocation()
    {
        foreach (var row in Payloads)
        {
            using var bad = new HttpRequestMessage(HttpMethod.Post, "/" + (string)row[0]) { Content = new ByteArrayContent(Bytes((string)row[1])) };
            bad.Content.Headers.ContentType = new("application/json");
            (await _handler.Client.SendAsync(bad)).Dispose();
        }

        var response = await _handler.InvokeAsync("ProcessOrder", Vectors.Authored("request.queue-trigger.json"), "inv-after");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("inv-after", _probe.Single("ProcessOrder").InvocationId);
    }

    /// <summary>A non-forwarded HTTP payload, <c>Data.req</c> built from raw JSON values.</summary>
    private static string Req(string method, string url, string headers = "{}", string? body = null, string metadata = Meta)
        => $$$"""{"Data":{"req":{"Method":{{{method}}},"Url":{{{url}}},"Headers":{{{headers}}}{{{(body is null ? "" : ",\"Body\":" + body)}}}}},"Metadata":{{{metadata}}}}""";

    private static byte[] Bytes(string payload)
    {
        var parts = payload.Split(Ff);
        using var buffer = new MemoryStream();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0) buffer.WriteByte(0xFF);
            buffer.Write(Encoding.UTF8.GetBytes(parts[i]));
        }

        return buffer.ToArray();
    }
}
