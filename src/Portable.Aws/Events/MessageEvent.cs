namespace Portable.Aws.Events;

/// <summary>
/// An SQS event (a batch of up to 10, or 10,000 with a batch window, messages) or an SNS event: <c>Records</c> of
/// <see cref="MessageRecord"/>. Which one is said by the first record's <c>eventSource</c>.
/// </summary>
internal sealed record MessageEvent
{
    public List<MessageRecord>? Records { get; init; }

    /// <summary>Whether the event has records and the first comes from <paramref name="source"/> (<c>aws:sqs</c>, <c>aws:sns</c>).</summary>
    public bool IsFrom(string source) => Records is [{ EventSource: var first }, ..] && first == source;
}
