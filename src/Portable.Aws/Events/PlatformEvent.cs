using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portable.Aws.Events;

/// <summary>
/// The events of schedule and event functions, read once: an EventBridge event (<c>source</c>, <c>detail-type</c>,
/// <c>detail</c>: a scheduled event among them) or an S3 notification (<c>Records</c>, each kept as JSON: it is the
/// CloudEvent's data).
/// </summary>
internal sealed record PlatformEvent
{
    public string? Id { get; init; }

    public string? Source { get; init; }

    [JsonPropertyName("detail-type")]
    public string? DetailType { get; init; }

    public string? Time { get; init; }

    public List<string>? Resources { get; init; }

    public JsonElement? Detail { get; init; }

    public List<JsonElement>? Records { get; init; }

    /// <summary>Whether this is an EventBridge event: a <c>source</c> and a <c>detail-type</c>.</summary>
    public bool IsEventBridge => Source is not null && DetailType is not null;

    /// <summary>Whether this is an S3 notification: records whose first has <c>eventSource</c> <c>aws:s3</c>.</summary>
    public bool IsS3 => Records is [{ ValueKind: JsonValueKind.Object } first, ..]
        && (first.TryGetProperty("eventSource", out var s) || first.TryGetProperty("EventSource", out s))
        && s.ValueKind == JsonValueKind.String && s.ValueEquals("aws:s3");
}
