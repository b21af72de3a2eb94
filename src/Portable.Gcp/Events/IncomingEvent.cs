namespace Portable.Gcp.Events;

/// <summary>An event request, read: the CloudEvent every event function receives, and the shape it arrived in.</summary>
/// <param name="CloudEvent">The event as a CloudEvent (converted when it arrived as a legacy event or a push envelope).</param>
/// <param name="Legacy">The legacy event as it arrived, when it arrived as one.</param>
/// <param name="Mode">How it arrived: <c>binary</c>, <c>structured</c>, <c>legacy</c> or <c>push</c>.</param>
internal sealed record IncomingEvent(CloudEvent CloudEvent, LegacyEvent? Legacy, string Mode);
