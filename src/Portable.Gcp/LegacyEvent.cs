using System.Text.Json;

namespace Portable.Gcp;

/// <summary>
/// A Google Cloud Functions legacy (background) event as a function of signature type <c>event</c> receives it:
/// the payload and its context. Read it with <see cref="GcpFunctionContextExtensions.GetLegacyEvent"/>.
/// </summary>
/// <param name="Data">The event payload.</param>
/// <param name="Context">The event's id, type, time and resource.</param>
public sealed record LegacyEvent(JsonElement? Data, LegacyEventContext Context);
