namespace Portable.Aws.Events;

/// <summary>An SQS message attribute as an SQS event carries it (<c>dataType</c>, <c>stringValue</c>; binary values are not read).</summary>
internal sealed record SqsAttribute
{
    public string? DataType { get; init; }

    public string? StringValue { get; init; }
}
