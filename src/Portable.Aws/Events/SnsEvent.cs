namespace Portable.Aws.Events;

/// <summary>An SNS event (keys are capitalised: <c>Records</c>, <c>EventSource</c>, <c>Sns</c>).</summary>
internal sealed record SnsEvent
{
    public List<SnsRecord>? Records { get; init; }
}
