using Portable.Testing;
using System.Text;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>Pub/Sub push envelopes and messagePublished CloudEvents reach queue and topic functions; Cloud Scheduler reaches schedules.</summary>
public sealed class PubSubTriggerTests
{
    [Fact]
    public async Task PushEnvelope_ReachesTheQueueFunction_WithDataAttributesIdAndPublishTime()
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var response = await host.Gcp("jobs").SendPushAsync("jobs", """{"id":"j1","mode":"ok"}""", new Dictionary<string, string> { ["origin"] = "test" }, messageId: "m-1", deliveryAttempt: 3);

        Assert.Equal(204, response.StatusCode);
        var (job, context) = Assert.Single(recorder.Jobs);
        Assert.Equal(new Job("j1", "ok"), job);
        Assert.Equal("m-1", context.InvocationId);
        Assert.Equal(3, context.DeliveryAttempt);
        Assert.Equal("gcp", context.Platform);
        Assert.Equal("m-1", context.Properties[GcpFunctionContextExtensions.MessageIdProperty]);
        Assert.Equal("test", ((IReadOnlyDictionary<string, string>)context.Properties[GcpFunctionContextExtensions.AttributesProperty]!)["origin"]);
        Assert.IsType<DateTimeOffset>(context.Properties[GcpFunctionContextExtensions.PublishTimeProperty]);
        Assert.Equal("projects/test-project/subscriptions/jobs-sub", context.Properties[GcpFunctionContextExtensions.SubscriptionProperty]);
    }

    [Fact]
    public async Task MessagePublishedCloudEvent_ReachesTheQueueFunction()
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"id":"j2","mode":"ok"}"""));
        var cloudEvent = """
            {"specversion":"1.0","type":"google.cloud.pubsub.topic.v1.messagePublished","source":"//pubsub.googleapis.com/projects/p/topics/jobs",
             "id":"e-9","time":"2024-01-02T03:04:05.678Z","datacontenttype":"application/json",
             "data":{"subscription":"projects/p/subscriptions/s","message":{"data":"DATA","messageId":"m-9","publishTime":"2024-01-02T03:04:05.678Z","attributes":{"k":"v"}}}}
            """.Replace("DATA", data, StringComparison.Ordinal);
        var response = await host.Gcp("jobs", "cloudevent").SendCloudEventAsync(cloudEvent);

        Assert.Equal(204, response.StatusCode);
        var (job, context) = Assert.Single(recorder.Jobs);
        Assert.Equal("j2", job.Id);
        Assert.Equal("m-9", context.InvocationId);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), context.Properties[GcpFunctionContextExtensions.PublishTimeProperty]);
    }

    [Fact]
    public async Task LegacyPubSubEvent_ReachesTheQueueFunction()
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"id":"j3","mode":"ok"}"""));
        var legacy = """{"eventId":"e-3","timestamp":"2024-01-02T03:04:05Z","eventType":"google.pubsub.topic.publish","resource":"projects/p/topics/jobs","data":{"data":"DATA"}}""".Replace("DATA", data, StringComparison.Ordinal);
        var response = await host.Gcp("jobs").SendLegacyEventAsync(legacy);

        Assert.Equal(204, response.StatusCode);
        Assert.Equal("j3", Assert.Single(recorder.Jobs).Job.Id);
    }

    [Fact]
    public async Task FailingMessage_Answers500Crash_SoPubSubRedelivers()
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var response = await host.Gcp("jobs").SendPushAsync("jobs", """{"id":"j4","mode":"fail"}""");
        Assert.Equal(500, response.StatusCode);
        Assert.Equal("crash", response.Headers["X-Google-Status"]);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public async Task UnreadableMessage_Answers400(string body)
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var response = await host.Gcp("jobs").SendPushAsync("jobs", body);
        Assert.Equal(400, response.StatusCode);
        Assert.Empty(recorder.Jobs);
    }

    [Fact]
    public async Task EventOfAnotherType_IsRefusedByAQueueFunction()
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var response = await host.Gcp("jobs").SendLegacyEventAsync(Vectors.Conformance("storage-legacy-input.json"));
        Assert.Equal(400, response.StatusCode);
        Assert.Contains("messagePublished", Encoding.UTF8.GetString(response.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushEnvelope_ReachesTheTopicFunction_AsANotification()
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var attributes = new Dictionary<string, string> { ["portable-subject"] = "Hello", ["portable-deduplication-id"] = "d-1", ["lang"] = "en" };
        var response = await host.Gcp("news").SendPushAsync("news", "body text", attributes);

        Assert.Equal(204, response.StatusCode);
        var (notification, _) = Assert.Single(recorder.Notifications);
        Assert.Equal("news", notification.Topic);
        Assert.Equal("body text", notification.Body);
        Assert.Equal("Hello", notification.Subject);
        Assert.Equal("d-1", notification.DeduplicationId);
        Assert.Equal("en", Assert.Single(notification.Attributes).Value);
    }

    [Fact]
    public async Task NonAsciiMegabyteData_ReachesTheTopicAndQueueFunctionsByteForByte()
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var id = "jöb-\"✓\"-🎉-\n-" + new string('ж', 500_000);
        var body = "{\"id\":" + System.Text.Json.JsonSerializer.Serialize(id) + ",\"mode\":\"ok\"}";

        var news = await host.Gcp("news").SendPushAsync("news", body);
        var jobs = await host.Gcp("jobs").SendPushAsync("jobs", body);

        Assert.Equal(204, news.StatusCode);
        Assert.Equal(204, jobs.StatusCode);
        var (notification, _) = Assert.Single(recorder.Notifications);
        Assert.Equal(body, notification.Body);
        Assert.Equal(Encoding.UTF8.GetBytes(body), notification.Utf8Body.ToArray());
        Assert.Equal(id, Assert.Single(recorder.Jobs).Job.Id);
    }

    [Fact]
    public async Task PushEnvelopeWhoseDataIsNotBase64_Answers400()
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var envelope = """{"message":{"data":"not base64!","messageId":"m-1"},"subscription":"projects/p/subscriptions/s"}""";
        var response = await host.Gcp("news").SendHttpAsync("POST", "/projects/test-project/topics/news", envelope);

        Assert.Equal(400, response.StatusCode);
        Assert.Empty(recorder.Notifications);
    }

    [Fact]
    public async Task CloudSchedulerRequest_RunsTheScheduledFunction_AtItsScheduleTime()
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var at = new DateTimeOffset(2025, 6, 1, 12, 5, 0, TimeSpan.Zero);
        var response = await host.Gcp("tick").SendSchedulerAsync(at);

        Assert.Equal(204, response.StatusCode);
        var tick = Assert.Single(recorder.Ticks);
        Assert.Equal(at, tick.ScheduledTime);
        Assert.Equal("*/5 * * * *", tick.Cron);
        Assert.Equal("tick", tick.FunctionName);
    }

    [Fact]
    public async Task SchedulerThroughPubSub_RunsTheScheduledFunction_AtThePublishTime()
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var response = await host.Gcp("tick").SendPushAsync("ticks", "{}");

        Assert.Equal(204, response.StatusCode);
        var tick = Assert.Single(recorder.Ticks);
        Assert.True(tick.ScheduledTime > DateTimeOffset.UtcNow.AddMinutes(-1));
    }
}
