namespace Portable.Aws.Events;

/// <summary>An SQS event: a batch of up to 10 (standard) or 10,000 (batch window) messages.</summary>
internal sealed record SqsEvent
{
    public List<SqsRecord>? Records { get; init; }
}
