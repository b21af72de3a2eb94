namespace Portable.Aws.Events;

/// <summary>An SNS notification, as in an SNS event's <c>Sns</c> field and in the body SNS delivers to an SQS subscription.</summary>
internal sealed record SnsMessage
{
    public string? Type { get; init; }

    public string? MessageId { get; init; }

    public string? TopicArn { get; init; }

    public string? Subject { get; init; }

    /// <summary>The message, as UTF-8.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(Utf8StringConverter))]
    public byte[]? Message { get; init; }

    public Dictionary<string, SnsAttribute>? MessageAttributes { get; init; }
}
