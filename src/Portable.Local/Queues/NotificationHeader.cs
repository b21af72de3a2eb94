namespace Portable.Local.Queues;

/// <summary>The first line of a <see cref="NotificationFrame"/>: every field of the notification but its body.</summary>
internal sealed record NotificationHeader(string Topic, string? Subject, IReadOnlyDictionary<string, string>? Attributes, string? DeduplicationId);
