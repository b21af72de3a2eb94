namespace Portable.Aws.Events;

/// <summary>An SNS message attribute (<c>Type</c>, <c>Value</c>).</summary>
internal sealed record SnsAttribute
{
    public string? Type { get; init; }

    public string? Value { get; init; }
}
