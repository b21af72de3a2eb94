using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Portable.Aws.Tests.Fixtures;
using Portable.Testing;

namespace Portable.Aws.Tests;

/// <summary>
/// Bodies read straight from the event's bytes (HTTP, SQS, SNS, an SNS envelope in SQS) reach the function byte for byte:
/// escaped and non-ASCII text, base64, and a body of a megabyte.
/// </summary>
public sealed class BodyRoundTripTests : IAsyncLifetime
{
    /// <summary>Quotes, a backslash, a newline, accents, a non-BMP emoji, and a megabyte, so the event's JSON escapes much of it.</summary>
    private static readonly string Text = "{\"note\":\"héllo \\\"wörld\\\" \\\\ ✓ 🎉\\n\",\"pad\":\"" + new string('ж', 500_000) + "\"}";

    private PortableTestHost _host = null!;

    private Recorder Recorder => _host.Services.GetRequiredService<Recorder>();

    public async Task InitializeAsync() => _host = await PortableTestHost.StartAsync(TestApp.Configure);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AnSnsMessage_ReachesTheTopicFunctionByteForByte()
    {
        var sns = new JsonObject
        {
            ["Records"] = new JsonArray(new JsonObject
            {
                ["EventSource"] = "aws:sns",
                ["Sns"] = new JsonObject { ["Type"] = "Notification", ["MessageId"] = "m-1", ["Subject"] = "sübject", ["Message"] = Text },
            }),
        };

        await _host.Aws().InvokeAsync("AlertHandler", sns.ToJsonString());

        var seen = Assert.Single(Recorder.Of<Seen<Notification>>()).Value;
        Assert.Equal(Text, seen.Body);
        Assert.Equal(Encoding.UTF8.GetBytes(Text), seen.Utf8Body.ToArray());
        Assert.Equal("sübject", seen.Subject);
    }

    [Fact]
    public async Task AnSnsEnvelopeInAnSqsBody_ReachesTheTopicFunctionByteForByte()
    {
        var envelope = new JsonObject { ["Type"] = "Notification", ["MessageId"] = "m-2", ["Message"] = Text }.ToJsonString();

        var failed = await _host.Aws().InvokeSqsAsync("AlertHandler", TestEvents.Sqs([("q-1", envelope, 1)]));

        Assert.Empty(failed);
        Assert.Equal(Text, Assert.Single(Recorder.Of<Seen<Notification>>()).Value.Body);
    }

    [Fact]
    public async Task ARawSqsBody_ReachesTheTopicFunctionByteForByte()
    {
        var failed = await _host.Aws().InvokeSqsAsync("AlertHandler", TestEvents.Sqs([("q-2", Text, 1)]));

        Assert.Empty(failed);
        Assert.Equal(Text, Assert.Single(Recorder.Of<Seen<Notification>>()).Value.Body);
    }

    [Fact]
    public async Task AnEscapedNonAsciiSqsBody_IsReadAsTheQueueFunctionsMessage()
    {
        var id = "jöb-✓-\"1\"-" + new string('ж', 100_000);
        var failed = await _host.Aws().InvokeSqsAsync("JobHandler", TestEvents.Sqs([("q-3", JsonSerializer.Serialize(new Job(id, false), TestJson.Default.Job), 1)]));

        Assert.Empty(failed);
        Assert.Equal(id, Assert.Single(Recorder.Of<Seen<Job>>()).Value.Id);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnHttpBody_PlainOrBase64_ReachesTheFunctionByteForByte(bool base64)
    {
        var body = base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(Text)) : Text;

        var response = TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", TestEvents.HttpApi("POST", "/upload", body: body, base64: base64, contentType: "application/json")));

        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        var echo = JsonSerializer.Deserialize(response.GetProperty("body").GetString()!, TestJson.Default.EchoView)!;
        Assert.Equal(Text, echo.Body);
    }

    [Fact]
    public async Task AnHttpEventWithAnInvalidBase64Body_AnswersBadRequest()
    {
        var response = TestEvents.Parse(await _host.Aws().InvokeAsync("Echo", TestEvents.HttpApi("POST", "/upload", body: "not base64!", base64: true)));

        Assert.Equal(400, response.GetProperty("statusCode").GetInt32());
    }
}
