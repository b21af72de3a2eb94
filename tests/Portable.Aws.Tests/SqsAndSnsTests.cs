using System.Text.Json;
using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection;
using Portable.Aws.Data;
using Portable.Aws.Events;
using Portable.Aws.Tests.Fixtures;

namespace Portable.Aws.Tests;

/// <summary><see cref="IQueue{T}"/> on SQS and <see cref="INotifier"/> on SNS, against fauxqs, with the SQS event source mapping played by the test.</summary>
public sealed class SqsAndSnsTests : IAsyncLifetime
{
    private readonly string _queue = AwsEmulators.Unique("jobs");
    private ServiceProvider _services = null!;
    private IAmazonSQS _sqs = null!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        var app = AwsEmulators.App(b =>
        {
            TestApp.Configure(b);
            b.Resources.AddQueue<Job>(_queue);
        });
        _services = AwsEmulators.Services(app);
        _sqs = AwsEmulators.Sqs;
        _url = await AwsEmulators.CreateQueueAsync(_sqs, _queue);
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Send_PutsTheMessageOnTheQueueAsJson()
    {
        await _services.GetRequiredService<IQueue<Job>>().SendAsync(new Job("j-1", false), default);

        var message = Assert.Single(await AwsEmulators.ReceiveAsync(_sqs, _url, waitSeconds: 5));
        Assert.Equal("{\"id\":\"j-1\",\"fail\":false}", message.Body);
    }

    [Fact]
    public async Task SendBatch_OfTwentyThree_DeliversEveryMessage()
    {
        await _services.GetRequiredService<IQueue<Job>>().SendBatchAsync(Enumerable.Range(0, 23).Select(i => new Job($"j-{i}", false)), null, default);

        var ids = new HashSet<string>();
        for (var round = 0; round < 20 && ids.Count < 23; round++)
        {
            foreach (var m in await AwsEmulators.ReceiveAsync(_sqs, _url, waitSeconds: 1))
            {
                ids.Add(JsonSerializer.Deserialize(m.Body, TestJson.Default.Job)!.Id);
                await _sqs.DeleteMessageAsync(_url, m.ReceiptHandle);
            }
        }

        Assert.Equal(23, ids.Count);
    }

    [Fact]
    public async Task Send_WithADelay_IsNotReceivedBeforeTheDelay()
    {
        await _services.GetRequiredService<IQueue<Job>>().SendAsync(new Job("later", false), new SendOptions { Delay = TimeSpan.FromSeconds(2) }, default);

        Assert.Empty(await AwsEmulators.ReceiveAsync(_sqs, _url, waitSeconds: 0));
        var message = Assert.Single(await AwsEmulators.ReceiveAsync(_sqs, _url, waitSeconds: 10));
        Assert.Contains("later", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingMessage_IsHiddenForTheVisibilityTimeout_RedeliveredWithItsAttempt_ThenDeadLettered()
    {
        var dlqUrl = await AwsEmulators.CreateQueueAsync(_sqs, _queue + "-dlq");
        var dlqArn = await AwsEmulators.QueueArnAsync(_sqs, dlqUrl);
        var url = await AwsEmulators.CreateQueueAsync(_sqs, _queue + "-redrive", new Dictionary<string, string>
        {
            ["VisibilityTimeout"] = "1",
            ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{dlqArn}\",\"maxReceiveCount\":\"2\"}}",
        });
        await _sqs.SendMessageAsync(url, "{\"id\":\"bad\",\"fail\":true}");
        var dispatcher = _services.GetRequiredService<AwsEventDispatcher>();

        var first = await AwsEmulators.PollOnceAsync(_sqs, url, dispatcher, "JobHandler", waitSeconds: 5);
        var hidden = await AwsEmulators.ReceiveAsync(_sqs, url, waitSeconds: 0);
        var second = await AwsEmulators.PollOnceAsync(_sqs, url, dispatcher, "JobHandler", waitSeconds: 5);
        var third = await AwsEmulators.PollOnceAsync(_sqs, url, dispatcher, "JobHandler", waitSeconds: 3);
        var dead = await AwsEmulators.ReceiveAsync(_sqs, dlqUrl, waitSeconds: 5);

        Assert.Equal(first.Received, first.Failed);
        Assert.Empty(hidden);
        Assert.Equal(first.Received, second.Failed);
        Assert.Empty(third.Received);
        Assert.Contains("bad", Assert.Single(dead).Body, StringComparison.Ordinal);
        var attempts = _services.GetRequiredService<Recorder>().Of<Seen<Job>>().Select(s => s.Context.DeliveryAttempt).ToList();
        Assert.Equal([1, 2], attempts);
    }

    [Fact]
    public async Task Publish_ReachesAnSqsSubscription_AndThatMessageReachesATopicFunction()
    {
        var topic = AwsEmulators.Unique("alerts");
        var sns = _services.GetRequiredService<AwsConnection>().Sns;
        var topicArn = SnsClient.Element(await sns.CallAsync("CreateTopic", [new("Name", topic)], default), "TopicArn")!;
        var subscriber = await AwsEmulators.CreateQueueAsync(_sqs, topic + "-sub");
        await sns.CallAsync("Subscribe", [new("TopicArn", topicArn), new("Protocol", "sqs"), new("Endpoint", await AwsEmulators.QueueArnAsync(_sqs, subscriber))], default);

        await _services.GetRequiredService<INotifier>().PublishAsync(
            new Notification(topic, "{\"level\":\"high\"}") { Subject = "Disk almost full", Attributes = new Dictionary<string, string> { ["host"] = "db-1" } }, default);

        var envelope = JsonDocument.Parse(Assert.Single(await AwsEmulators.ReceiveAsync(_sqs, subscriber, waitSeconds: 5, visibilityTimeout: 0)).Body).RootElement;
        Assert.Equal("{\"level\":\"high\"}", envelope.GetProperty("Message").GetString());
        Assert.Equal("Disk almost full", envelope.GetProperty("Subject").GetString());
        Assert.Equal(topicArn, envelope.GetProperty("TopicArn").GetString());

        var polled = await AwsEmulators.PollOnceAsync(_sqs, subscriber, _services.GetRequiredService<AwsEventDispatcher>(), "AlertHandler", waitSeconds: 5);
        Assert.Single(polled.Received);
        Assert.Empty(polled.Failed);
        var seen = Assert.Single(_services.GetRequiredService<Recorder>().Of<Seen<Notification>>()).Value;
        Assert.Equal("{\"level\":\"high\"}", seen.Body);
        Assert.Equal("Disk almost full", seen.Subject);
        Assert.Equal("db-1", seen.Attributes["host"]);
    }
}
