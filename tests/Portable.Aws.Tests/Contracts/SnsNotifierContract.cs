using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portable.Aws.Data;
using Portable.Aws.Tests.Fixtures;
using Portable.Contracts;

namespace Portable.Aws.Tests.Contracts;

/// <summary>The notifier contract on <see cref="SnsNotifier"/> against fauxqs, read back from an SQS queue subscribed to the topic (the SNS envelope).</summary>
[ContractFor(typeof(SnsNotifier))]
public sealed class SnsNotifierContract : NotifierContract
{
    private ServiceProvider? _services;
    private string _url = "";

    protected override async Task<INotifier> CreateNotifierAsync(PortableApp app, string topic)
    {
        _services = AwsEmulators.Services(app);
        var sns = _services.GetRequiredService<AwsConnection>().Sns;
        var topicArn = SnsClient.Element(await sns.CallAsync("CreateTopic", [new("Name", topic)], default), "TopicArn")!;
        _url = await AwsEmulators.CreateQueueAsync(AwsEmulators.Sqs, topic + "-sub");
        await sns.CallAsync("Subscribe", [new("TopicArn", topicArn), new("Protocol", "sqs"), new("Endpoint", await AwsEmulators.QueueArnAsync(AwsEmulators.Sqs, _url))], default);
        return _services.GetRequiredService<INotifier>();
    }

    protected override async Task<IReadOnlyList<Notification>> ReceiveAsync()
    {
        var received = new List<Notification>();
        foreach (var message in await AwsEmulators.ReceiveAsync(AwsEmulators.Sqs, _url, waitSeconds: 1))
        {
            using var envelope = JsonDocument.Parse(message.Body);
            var root = envelope.RootElement;
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("MessageAttributes", out var values))
            {
                foreach (var attribute in values.EnumerateObject()) attributes[attribute.Name] = attribute.Value.GetProperty("Value").GetString()!;
            }

            received.Add(new Notification(Topic, root.GetProperty("Message").GetString()!)
            {
                Subject = root.TryGetProperty("Subject", out var subject) && subject.ValueKind == JsonValueKind.String ? subject.GetString() : null,
                Attributes = attributes,
            });
            await AwsEmulators.Sqs.DeleteMessageAsync(_url, message.ReceiptHandle);
        }

        return received;
    }

    protected override async Task DeleteTopicAsync()
    {
        if (_url.Length > 0) await AwsEmulators.Sqs.DeleteQueueAsync(_url);
        if (_services is not null) await _services.DisposeAsync();
    }
}
