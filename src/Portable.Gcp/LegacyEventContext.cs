using System.Text.Json;

namespace Portable.Gcp;

/// <summary>The <c>context</c> of a legacy event.</summary>
/// <param name="EventId">The event id.</param>
/// <param name="Timestamp">When the event happened, as RFC 3339 text.</param>
/// <param name="EventType">The legacy event type, such as <c>google.pubsub.topic.publish</c>.</param>
/// <param name="Resource">The resource: a string, or an object with <c>service</c>, <c>name</c> and <c>type</c>.</param>
public sealed record LegacyEventContext(string EventId, string? Timestamp, string EventType, JsonElement Resource);
