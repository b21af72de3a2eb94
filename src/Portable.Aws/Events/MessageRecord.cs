namespace Portable.Aws.Events;

/// <summary>
/// One record of an SQS event (<c>eventSource</c> <c>aws:sqs</c>: <c>messageId</c>, <c>body</c>, <c>attributes</c>) or of
/// an SNS event (<c>EventSource</c> <c>aws:sns</c>, <c>Sns</c>): the two share the <c>Records</c> shape, so a topic
/// function, which takes either, reads its event once.
/// </summary>
internal sealed record MessageRecord
{
    public string? EventSource { get; init; }

    public string? MessageId { get; init; }

    /// <summary>The SQS message body, as UTF-8.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(Utf8StringConverter))]
    public byte[]? Body { get; init; }

    public string? EventSourceArn { get; init; }

    public Dictionary<string, string?>? Attributes { get; init; }

    /// <summary>The SQS message attributes (<c>messageAttributes</c>): the sender's <c>traceparent</c> among them.</summary>
    public Dictionary<string, SqsAttribute?>? MessageAttributes { get; init; }

    /// <summary>The SNS notification of an SNS event's record.</summary>
    public SnsMessage? Sns { get; init; }
}
