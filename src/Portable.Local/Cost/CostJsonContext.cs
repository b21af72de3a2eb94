using System.Text.Json.Serialization;

namespace Portable.Local.Cost;

/// <summary>Source-generated JSON for the cost projection: the price files and the usage file as read and written, and the answer of <c>GET /_portable/api/cost</c>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(PriceFile))]
[JsonSerializable(typeof(UsageDocument))]
[JsonSerializable(typeof(CostDocument))]
internal sealed partial class CostJsonContext : JsonSerializerContext;
