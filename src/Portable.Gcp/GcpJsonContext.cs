using System.Text.Json.Serialization;

namespace Portable.Gcp;

/// <summary>Source-generated JSON metadata for the GCP adapter's own documents.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(string))]
internal sealed partial class GcpJsonContext : JsonSerializerContext;
