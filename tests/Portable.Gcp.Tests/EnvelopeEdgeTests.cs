using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>
/// Edges the fuzz run found: a push whose messageId is empty, and JSON bodies (push envelope, structured CloudEvent, legacy
/// event) with invalid UTF-8 outside any string the reader decodes. Both are the sender's error: 400 problem, one log line.
/// </summary>
public sealed class EnvelopeEdgeTests
{
    private static readonly string Data = Convert.ToBase64String("""{"id":"j","mode":"ok"}"""u8);

    /// <summary>Target, content type, body with <c>{BAD}</c> where the invalid bytes go.</summary>
    public static TheoryData<string, string, string> Refused => new()
    {
        // An empty message id, in both spellings, to a queue, a topic and an event function.
        { "jobs", "application/json", $$"""{"message":{"data":"{{Data}}","messageId":""},"subscription":"s"}""" },
        { "jobs", "application/json", $$"""{"message":{"data":"{{Data}}","message_id":""},"subscription":"s"}""" },
        { "news", "application/json", $$"""{"message":{"data":"{{Data}}","messageId":""},"subscription":"s"}""" },
        { "cloudevent", "application/json", $$"""{"message":{"data":"{{Data}}","messageId":""},"subscription":"s"}""" },

        // Invalid UTF-8 in a member nobody decodes, in a property name, in the data's neighbourhood.
        { "jobs", "application/json", $$"""{"message":{"data":"{{Data}}","messageId":"m","orderingKey":"k{BAD}"},"subscription":"s"}""" },
        { "jobs", "application/json", $$"""{"message":{"data":"{{Data}}","messageId":"m"},"subscription":"s","x{BAD}":1}""" },
        { "news", "application/json", $$"""{"message":{"data":"{{Data}}","messageId":"m","extra":"{BAD}"},"subscription":"s"}""" },
        { "tick", "application/json", $$"""{"message":{"data":"{{Data}}","messageId":"m","extra":"{BAD}"},"subscription":"s"}""" },
        { "cloudevent", "application/json", $$"""{"message":{"data":"{{Data}}","messageId":"m","extra":"{BAD}"},"subscription":"s"}""" },
        { "cloudevent", "application/cloudevents+json", """{"specversion":"1.0","id":"1","source":"//s","type":"t","data":{"a":"{BAD}"}}""" },
        { "legacyevent", "application/json", """{"eventId":"1","eventType":"google.pubsub.topic.publish","resource":"projects/p/topics/t","extra":"{BAD}","data":{}}""" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task EmptyMessageIdOrInvalidUtf8_Answers400Problem_WithOneLogLine(string target, string contentType, string body)
    {
        foreach (var bad in new byte[][] { [0xED, 0xA0, 0x80], [0xFF] })
        {
            await using var host = await RunningGcpHost.StartAsync(target);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/projects/p/topics/t") { Content = new ByteArrayContent(Bytes(body, bad)) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

            var response = await host.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {contentType} {body}: {text}\n{host.Log}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using (var problem = JsonDocument.Parse(text)) Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
            Assert.False(response.Headers.Contains("X-Google-Status"));
            Assert.Empty(host.Recorder.Jobs);
            Assert.Empty(host.Recorder.Events);
            Assert.Single(host.LogLines, line => line.Contains("\"WARNING\"", StringComparison.Ordinal) || line.Contains("\"ERROR\"", StringComparison.Ordinal));
            if (!body.Contains("{BAD}", StringComparison.Ordinal)) break;
        }
    }

    [Fact]
    public async Task ValidPushNextToTheRefusedOnes_StillReachesTheFunction()
    {
        await using var host = await RunningGcpHost.StartAsync("jobs");
        using var content = new StringContent($$"""{"message":{"data":"{{Data}}","messageId":"m","orderingKey":"é"},"subscription":"s"}""", Encoding.UTF8, "application/json");
        var response = await host.Client.PostAsync("/projects/p/topics/t", content);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("m", Assert.Single(host.Recorder.Jobs).Context.InvocationId);
    }

    private static byte[] Bytes(string body, byte[] bad)
    {
        var at = body.IndexOf("{BAD}", StringComparison.Ordinal);
        if (at < 0) return Encoding.UTF8.GetBytes(body);
        return [.. Encoding.UTF8.GetBytes(body[..at]), .. bad, .. Encoding.UTF8.GetBytes(body[(at + 5)..])];
    }
}
