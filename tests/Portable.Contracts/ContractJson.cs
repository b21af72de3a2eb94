using System.Text.Json.Serialization;

namespace Portable.Contracts;

/// <summary>The JSON metadata of the contract types.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ContractDocument))]
[JsonSerializable(typeof(ContractMessage))]
public sealed partial class ContractJson : JsonSerializerContext;
