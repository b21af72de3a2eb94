namespace Portable.Gcp.PubSub;

/// <summary>The message attributes Portable uses for the <see cref="Notification"/> fields Pub/Sub has no place for.</summary>
internal static class PubSubAttributes
{
    public const string Subject = "portable-subject";
    public const string DeduplicationId = "portable-deduplication-id";
}
