namespace Portable.Gcp.Events;

/// <summary>One Pub/Sub message as a push subscription or a <c>messagePublished</c> CloudEvent delivers it.</summary>
internal sealed record PubSubMessage(
    ReadOnlyMemory<byte> Data,
    IReadOnlyDictionary<string, string> Attributes,
    string? MessageId,
    DateTimeOffset? PublishTime,
    string? Subscription,
    int DeliveryAttempt);
