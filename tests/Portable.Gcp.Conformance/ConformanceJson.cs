using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portable.Gcp.Conformance;

/// <summary>Source-generated JSON for the typed function.</summary>
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(TypedResponse))]
internal sealed partial class ConformanceJson : JsonSerializerContext;
