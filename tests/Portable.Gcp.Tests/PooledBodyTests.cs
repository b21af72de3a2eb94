using System.Net;
using System.Text;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>
/// Event and message bodies live in pooled buffers that later requests reuse: what a function is given, or keeps, must never
/// change when the next request arrives.
/// </summary>
public sealed class PooledBodyTests
{
    [Fact]
    public async Task LargePushesInARow_EachReachTheQueueFunctionWithItsOwnData()
    {
        await using var host = await RunningGcpHost.StartAsync("jobs");
        for (var i = 0; i < 3; i++)
        {
            var id = new string((char)('a' + i), 300_000 - (i * 1000)); // each larger than a pooled segment, each shorter than the last
            var response = await PushAsync(host, $$"""{"id":"{{id}}","mode":"ok"}""", chunked: i == 1);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        var ids = host.Recorder.Jobs.Select(j => j.Job.Id).ToList();
        Assert.Equal(3, ids.Count);
        for (var i = 0; i < 3; i++) Assert.Equal(new string((char)('a' + i), 300_000 - (i * 1000)), ids[i]);
    }

    [Fact]
    public async Task NotificationKeptByATopicFunction_IsUnchangedByTheNextPush()
    {
        await using var host = await RunningGcpHost.StartAsync("news");
        var first = new string('x', 200_000);
        Assert.Equal(HttpStatusCode.NoContent, (await PushAsync(host, first)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await PushAsync(host, new string('y', 200_000))).StatusCode);

        var kept = host.Recorder.Notifications.First().Notification;
        Assert.Equal(first, kept.Body);
    }

    private static Task<HttpResponseMessage> PushAsync(RunningGcpHost host, string data, bool chunked = false)
    {
        var envelope = $$"""{"message":{"data":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(data))}}","messageId":"m"},"subscription":"projects/p/subscriptions/s"}""";
        HttpContent content = chunked
            ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(envelope)))
            : new ByteArrayContent(Encoding.UTF8.GetBytes(envelope));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (chunked) content.Headers.ContentLength = null;
        return host.Client.PostAsync("/projects/p/topics/t", content);
    }
}
