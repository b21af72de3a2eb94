using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>
/// Every event, legacy event or Pub/Sub push that cannot be decoded is the caller's error: a 400 problem document and one log
/// line, never a 500 (which Pub/Sub and Eventarc would redeliver for days) and never silence.
/// </summary>
public sealed class DecodeFailureTests
{
    private const string Binary = "binary:";

    /// <summary>Target, content type (or <c>binary:</c> plus ce- headers as name=value;…), body.</summary>
    public static TheoryData<string, string, string> Undecodable => new()
    {
        // Pub/Sub push to a queue function.
        { "jobs", "application/json", "" },
        { "jobs", "application/json", "null" },
        { "jobs", "application/json", "\"text\"" },
        { "jobs", "application/json", "42" },
        { "jobs", "application/json", "{}" },
        { "jobs", "application/json", """{"subscription":"s"}""" },
        { "jobs", "application/json", """{"message":null,"subscription":"s"}""" },
        { "jobs", "application/json", """{"message":"text","subscription":"s"}""" },
        { "jobs", "application/json", """{"message":[],"subscription":"s"}""" },
        { "jobs", "application/json", """{"message":{"data":"!!!not base64","messageId":"m"},"subscription":"s"}""" },
        { "jobs", "application/json", """{"message":{"data":42,"messageId":"m"},"subscription":"s"}""" },
        { "jobs", "application/json", """{"message":{"data":"e30=","messageId":42},"subscription":"s"}""" },
        { "jobs", "application/json", """{"message":{"data":"e30=","messageId":"m","attributes":"x"},"subscription":"s"}""" },
        { "jobs", "application/json", """{"message":{"data":"e30=","messageId":"m","attributes":{"a":1}},"subscription":"s"}""" },
        { "jobs", "application/json", """{"message":{"data":"e30=","messageId":"m","publishTime":"yesterday"},"subscription":"s"}""" },
        { "jobs", "application/json", """{"message":{"data":"e30=","messageId":"m","publishTime":42},"subscription":"s"}""" },
        { "jobs", "application/json", """{"message":{"data":"e30=","messageId":"m"},"subscription":42}""" },
        { "jobs", "application/json", """{"message":{"data":"e30=","messageId":"m"},"subscription":"s","deliveryAttempt":"x"}""" },
        { "jobs", "application/json", """{"message":{"data":"/w==","messageId":"m"},"subscription":"s"}""" },
        { "jobs", "application/json", """{"message":{"data":"e30=","messageId":"m"},"subscription":"s\uD800"}""" },
        { "jobs", "application/json", "{\"message\":{\"data\":\"e30=\",\"messageId\":\"m\xFF\"},\"subscription\":\"s\"}" },
        { "jobs", "text/plain", "hello" },
        { "jobs", "application/xml", "<message/>" },
        { "jobs", "application/json", """{"message":{"data":"W10=","messageId":"m"},"subscription":"s"}""" },
        { "jobs", "application/json", """{"message":{"data":"bnVsbA==","messageId":"m"},"subscription":"s"}""" },

        // Pub/Sub push to a topic function.
        { "news", "application/json", "" },
        { "news", "application/json", """{"message":{"data":"!!","messageId":"m"},"subscription":"s"}""" },
        { "news", "application/json", """{"message":{"data":"e30=","messageId":"m","attributes":[]},"subscription":"s"}""" },

        // CloudEvents, structured.
        { "cloudevent", "application/cloudevents+json", "" },
        { "cloudevent", "application/cloudevents+json", "[]" },
        { "cloudevent", "application/cloudevents+json", "null" },
        { "cloudevent", "application/cloudevents+json", """{"specversion":"1.0","id":"1","source":"//s","type":"t","time":"yesterday"}""" },
        { "cloudevent", "application/cloudevents+json", """{"specversion":"2.0","id":"1","source":"//s","type":"t"}""" },
        { "cloudevent", "application/cloudevents+json", """{"specversion":"1.0","id":1,"source":"//s","type":"t"}""" },
        { "cloudevent", "application/cloudevents+json", """{"specversion":"1.0","id":"1","source":"//s","type":"t","data_base64":"!!"}""" },
        { "cloudevent", "application/cloudevents+json", """{"specversion":"1.0","id":"1","source":"//s","type":"t","data":1,"data_base64":"AA=="}""" },
        { "cloudevent", "application/cloudevents+json", """{"specversion":"1.0","id":"1","source":"//s","type":"t","datacontenttype":"not a media type"}""" },
        { "cloudevent", "application/cloudevents+json; charset=nope", """{"specversion":"1.0","id":"1","source":"//s","type":"t"}""" },
        { "cloudevent", "application/cloudevents+json", "{\"specversion\":\"1.0\",\"id\":\"1\xFF\",\"source\":\"//s\",\"type\":\"t\"}" },
        { "cloudevent", "application/cloudevents+json", """{"specversion":"1.0","id":"1","source":"//s","type":"t","ext":{"a":1}}""" },

        // CloudEvents, binary.
        { "cloudevent", Binary + "ce-specversion=1.0;ce-source=//s;ce-type=t", "{}" },
        { "cloudevent", Binary + "ce-specversion=9.9;ce-id=1;ce-source=//s;ce-type=t", "{}" },
        { "cloudevent", Binary + "ce-specversion=1.0;ce-id=1;ce-source=//s;ce-type=t;ce-time=yesterday", "{}" },
        { "cloudevent", Binary + "ce-specversion=1.0;ce-id=1;ce-source=//s;ce-type=t;ce-bad_name=x", "{}" },
        { "cloudevent", Binary + "ce-specversion=1.0;ce-id=1;ce-source=//s;ce-type=t", "{\"a\":" },

        // Legacy background events.
        { "legacyevent", "application/json", """{"eventId":"1","eventType":"google.pubsub.topic.publish"}""" },
        { "legacyevent", "application/json", """{"eventId":"1","eventType":"nope","resource":"r"}""" },
        { "legacyevent", "application/json", """{"eventId":"1","eventType":"google.pubsub.topic.publish","resource":42}""" },
        { "legacyevent", "application/json", """{"eventId":"1","eventType":"google.pubsub.topic.publish","resource":{"name":42}}""" },
        { "legacyevent", "application/json", """{"eventId":"1","eventType":"google.pubsub.topic.publish","resource":"r","timestamp":"yesterday"}""" },
        { "legacyevent", "application/json", """{"eventId":"1","eventType":"google.storage.object.finalize","resource":"nope"}""" },
        { "legacyevent", "application/json", """{"eventId":"1","eventType":"providers/google.firebase.analytics/eventTypes/event.log","resource":"projects/p/events/e","data":{"userDim":"x"}}""" },
        { "legacyevent", "application/json", """{"context":{"eventId":1,"eventType":"google.pubsub.topic.publish","resource":"r"}}""" },
        { "legacyevent", "application/json", """{"eventId":"1","eventType":"google.pubsub.topic.publish","resource":"r","data":"text"}""" },
        { "legacyevent", "application/json", """{"eventId":"1","eventType":"providers/google.firebase.database/eventTypes/ref.create","resource":"projects/_/instances/i/refs/r","domain":"example.com"}""" },

        // A scheduled function reached by Pub/Sub.
        { "tick", "application/json", """{"message":{"data":"e30=","messageId":"m","publishTime":"yesterday"},"subscription":"s"}""" },
    };

    [Theory]
    [MemberData(nameof(Undecodable))]
    public async Task UndecodableInput_Answers400Problem_WithOneLogLine(string target, string contentType, string body)
    {
        await using var host = await RunningGcpHost.StartAsync(target);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/projects/p/topics/t") { Content = new ByteArrayContent(Bytes(body)) };
        if (contentType.StartsWith(Binary, StringComparison.Ordinal))
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            foreach (var pair in contentType[Binary.Length..].Split(';'))
            {
                var (name, value) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                request.Headers.Remove(name);
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
        else
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {contentType} {body}: {text}\n{host.Log}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using (var problem = JsonDocument.Parse(text)) Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(response.Headers.Contains("X-Google-Status"));
        Assert.Empty(host.Recorder.Jobs);
        Assert.Empty(host.Recorder.Events);
        Assert.Single(host.LogLines, line => line.Contains("\"WARNING\"", StringComparison.Ordinal) || line.Contains("\"ERROR\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailingQueueFunction_Answers500Crash_WithItsLogLine()
    {
        await using var host = await RunningGcpHost.StartAsync("jobs");
        var data = Convert.ToBase64String("""{"id":"j","mode":"fail"}"""u8);
        using var content = new StringContent($$"""{"message":{"data":"{{data}}","messageId":"m"},"subscription":"s"}""", Encoding.UTF8, "application/json");
        var response = await host.Client.PostAsync("/", content);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("crash", Assert.Single(response.Headers.GetValues("X-Google-Status")));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Single(host.LogLines, line => line.Contains("\"ERROR\"", StringComparison.Ordinal) && line.Contains("jobs failed", StringComparison.Ordinal));
    }

    private static byte[] Bytes(string body)
    {
        // \xFF in a row stands for the raw byte 0xFF (invalid UTF-8); everything else is UTF-8, lone surrogates included as escapes.
        var bytes = new List<byte>();
        foreach (var c in body)
        {
            if (c == '\xFF') bytes.Add(0xFF);
            else bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
        }

        return [.. bytes];
    }
}
