namespace Portable.Gcp.Events;

/// <summary>One Pub/Sub message as a push subscription or a <c>messagePublished</c> CloudEvent delivers it.</summary>
internal sealed record PubSubMessage(
    ReadOnlyMemory<byte> Data,
    IReadOnlyDictionary<string, string> Attributes,
    string? MessageId,
    DateTimeOffset? PublishTime,
    string? Subscription,
    int DeliveryAttempt)
{
    /// <summary>The pooled array <see cref="Data"/> lives in, to return once the message is handled; null when it is its own.</summary>
    public byte[]? Rented { get; init; }

    /// <summary>The trace context a CloudEvent carried the message with (its <c>traceparent</c> extension, see <see cref="PubSub.PubSubAttributes.ReadTrace(CloudEvent)"/>); null for a push envelope, whose context is in <see cref="Attributes"/>.</summary>
    public TraceContext? Trace { get; init; }
}
