using System.Text.Json.Serialization;

namespace Portable.Azure;

/// <summary>Source-generated JSON metadata for the few values the Azure adapter serializes as such.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class AzureJsonContext : JsonSerializerContext;
