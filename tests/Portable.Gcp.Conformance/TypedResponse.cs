using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portable.Gcp.Conformance;

/// <summary>What the typed function answers: the request under <c>payload</c>.</summary>
internal sealed record TypedResponse([property: JsonPropertyName("payload")] JsonElement Payload);
