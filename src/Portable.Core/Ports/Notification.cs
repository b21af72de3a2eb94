namespace Portable;

/// <summary>A notification published on a topic.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Body">The body, usually JSON.</param>
public sealed record Notification(string Topic, string Body)
{
    /// <summary>A short subject line (SNS subject, Event Grid subject).</summary>
    public string? Subject { get; init; }

    /// <summary>Message attributes, delivered with the body.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Notifications on the same topic with the same id, published within the platform's window, are delivered once.</summary>
    public string? DeduplicationId { get; init; }
}
