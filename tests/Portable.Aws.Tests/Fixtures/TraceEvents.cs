using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.SQS.Model;

namespace Portable.Aws.Tests.Fixtures;

/// <summary>SQS and SNS events as Lambda builds them, with the message and system attributes that carry a trace.</summary>
public static class TraceEvents
{
    /// <summary>An SQS event of messages received from a queue (<c>MessageAttributeNames</c> and <c>MessageSystemAttributeNames</c> All), attributes included.</summary>
    public static string Sqs(IEnumerable<Message> messages)
        => Sqs(messages.Select(m => (m.MessageId, m.Body,
            (IReadOnlyDictionary<string, string>)(m.MessageAttributes ?? []).Where(a => a.Value.StringValue is not null).ToDictionary(a => a.Key, a => a.Value.StringValue),
            m.Attributes?.GetValueOrDefault("AWSTraceHeader"))));

    /// <summary>An SQS event with one record per message: its string message attributes and its <c>AWSTraceHeader</c> system attribute, when given.</summary>
    public static string Sqs(IEnumerable<(string MessageId, string Body, IReadOnlyDictionary<string, string> MessageAttributes, string? AwsTraceHeader)> messages)
    {
        var records = new JsonArray();
        foreach (var (id, body, messageAttributes, traceHeader) in messages)
        {
            var attributes = new JsonObject { ["ApproximateReceiveCount"] = "1", ["SentTimestamp"] = "1520621625029" };
            if (traceHeader is not null) attributes["AWSTraceHeader"] = traceHeader;
            var userAttributes = new JsonObject();
            foreach (var (name, value) in messageAttributes)
            {
                userAttributes[name] = new JsonObject { ["stringValue"] = value, ["stringListValues"] = new JsonArray(), ["binaryListValues"] = new JsonArray(), ["dataType"] = "String" };
            }

            records.Add(new JsonObject
            {
                ["messageId"] = id,
                ["receiptHandle"] = "handle-" + id,
                ["body"] = body,
                ["attributes"] = attributes,
                ["messageAttributes"] = userAttributes,
                ["md5OfBody"] = "",
                ["eventSource"] = "aws:sqs",
                ["eventSourceARN"] = "arn:aws:sqs:us-east-1:123456789012:queue",
                ["awsRegion"] = "us-east-1",
            });
        }

        return new JsonObject { ["Records"] = records }.ToJsonString();
    }

    /// <summary>An SNS event of one notification with string message attributes.</summary>
    public static string Sns(string messageId, string message, IReadOnlyDictionary<string, string> attributes)
    {
        var messageAttributes = new JsonObject();
        foreach (var (name, value) in attributes) messageAttributes[name] = new JsonObject { ["Type"] = "String", ["Value"] = value };
        return new JsonObject
        {
            ["Records"] = new JsonArray(new JsonObject
            {
                ["EventSource"] = "aws:sns",
                ["EventVersion"] = "1.0",
                ["EventSubscriptionArn"] = "arn:aws:sns:us-east-1:123456789012:alerts:sub",
                ["Sns"] = new JsonObject
                {
                    ["Type"] = "Notification",
                    ["MessageId"] = messageId,
                    ["TopicArn"] = "arn:aws:sns:us-east-1:123456789012:alerts",
                    ["Subject"] = "s",
                    ["Message"] = message,
                    ["Timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                    ["MessageAttributes"] = messageAttributes,
                },
            }),
        }.ToJsonString();
    }
}
