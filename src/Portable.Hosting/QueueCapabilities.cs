namespace Portable.Hosting;

/// <summary>
/// What a queue implementation does with <see cref="SendOptions"/>, declared once so that <see cref="PortRules"/> refuses what it
/// cannot do at the send, contract tests know what to expect, and a deployment writer can report it at publish.
/// </summary>
/// <param name="Service">The service behind the queue, as a user would name it (<c>SQS</c>, <c>Pub/Sub</c>).</param>
/// <param name="DelayedDelivery">True when <see cref="SendOptions.Delay"/> is honoured; false when a delay is refused with <see cref="NotSupportedException"/>.</param>
/// <param name="Deduplication">True when a repeated <see cref="SendOptions.DeduplicationId"/> is dropped; false when the id is accepted but not enforced.</param>
public sealed record QueueCapabilities(string Service, bool DelayedDelivery, bool Deduplication)
{
    /// <summary>What to use instead of a delay where <see cref="DelayedDelivery"/> is false, named in the refusal.</summary>
    public string? DelayAlternative { get; init; }
}
