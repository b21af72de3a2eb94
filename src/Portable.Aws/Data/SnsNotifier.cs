using System.Collections.Concurrent;
using System.Globalization;
using Portable.Hosting;

namespace Portable.Aws.Data;

/// <summary>
/// <see cref="INotifier"/> on SNS: <c>Publish</c> with the subject (at most 100 characters) and string message attributes.
/// The topic ARN comes from <c>PORTABLE_TOPIC_{NAME}</c>, else from <c>CreateTopic</c> (which returns the existing topic).
/// On a FIFO topic the deduplication id is sent as <c>MessageDeduplicationId</c>; standard topics have no deduplication.
/// A publish is a producer span (<see cref="PortableTelemetry.StartProducer"/>, ended when SNS answers) and the notification
/// carries the publisher's trace as the <c>traceparent</c> (and <c>tracestate</c>) message attributes, unless it sets them itself.
/// </summary>
internal sealed class SnsNotifier(AwsConnection aws, AwsResourceNames names) : INotifier
{
    private SnsClient Sns => aws.Sns;

    private readonly ConcurrentDictionary<string, string> _arns = new(StringComparer.Ordinal);

    public async Task PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        PortRules.ValidateNotification(notification);
        using var producer = PortableTelemetry.StartProducer("publish", "aws_sns", notification.Topic);
        var trace = PortableTelemetry.ContextToSend(producer);
        try
        {
            var arn = await TopicArnAsync(notification.Topic, cancellationToken).ConfigureAwait(false);
            var xml = await Sns.CallAsync("Publish", Parameters(notification, arn, trace), cancellationToken).ConfigureAwait(false);
            if (producer is not null && SnsClient.Element(xml, "MessageId") is { } id) producer.SetTag("messaging.message.id", id);
        }
        catch (Exception e)
        {
            PortableTelemetry.Fail(producer, e);
            throw;
        }
    }

    private static List<KeyValuePair<string, string>> Parameters(Notification notification, string arn, TraceContext? trace)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("TopicArn", arn), new("Message", notification.Body) };
        if (!string.IsNullOrWhiteSpace(notification.Subject))
        {
            var subject = notification.Subject.ReplaceLineEndings(" ");
            parameters.Add(new("Subject", subject.Length > 100 ? subject[..100] : subject));
        }

        var n = 0;
        foreach (var (name, value) in notification.Attributes) AddAttribute(parameters, ++n, name, value);
        if (trace is not null && !notification.Attributes.ContainsKey(MessageTrace.TraceParent))
        {
            AddAttribute(parameters, ++n, MessageTrace.TraceParent, trace.TraceParent);
            if (trace.TraceState is { } state) AddAttribute(parameters, ++n, MessageTrace.TraceState, state);
        }

        if (arn.EndsWith(".fifo", StringComparison.Ordinal))
        {
            parameters.Add(new("MessageGroupId", notification.Topic));
            if (notification.DeduplicationId is { } id) parameters.Add(new("MessageDeduplicationId", id));
        }

        return parameters;
    }

    private static void AddAttribute(List<KeyValuePair<string, string>> parameters, int n, string name, string value)
    {
        var prefix = "MessageAttributes.entry." + n.ToString(CultureInfo.InvariantCulture);
        parameters.Add(new(prefix + ".Name", name));
        parameters.Add(new(prefix + ".Value.DataType", "String"));
        parameters.Add(new(prefix + ".Value.StringValue", value));
    }

    private async Task<string> TopicArnAsync(string topic, CancellationToken cancellationToken)
    {
        if (names.TopicArn(topic) is { } configured) return configured;
        if (_arns.TryGetValue(topic, out var known)) return known;
        var xml = await Sns.CallAsync("CreateTopic", [new("Name", topic)], cancellationToken).ConfigureAwait(false);
        var arn = SnsClient.Element(xml, "TopicArn") ?? throw new AwsServiceException($"SNS CreateTopic for '{topic}' answered without a TopicArn: {xml}");
        return _arns.GetOrAdd(topic, arn);
    }
}
