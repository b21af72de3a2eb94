namespace Portable.Aws.Events;

/// <summary>One message of an SQS event.</summary>
internal sealed record SqsRecord
{
    public string? MessageId { get; init; }

    public string? Body { get; init; }

    public string? EventSource { get; init; }

    public string? EventSourceArn { get; init; }

    public Dictionary<string, string?>? Attributes { get; init; }
}
