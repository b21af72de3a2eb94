namespace Portable.Aws.Events;

/// <summary>One record of an SNS event.</summary>
internal sealed record SnsRecord
{
    public string? EventSource { get; init; }

    public SnsMessage? Sns { get; init; }
}
