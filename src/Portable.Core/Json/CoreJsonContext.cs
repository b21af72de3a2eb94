using System.Text.Json.Serialization;
using Portable.Blobs;
using Portable.Hosting;

namespace Portable.Json;

/// <summary>Source-generated JSON metadata for Portable's own types.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(ScheduledEvent))]
[JsonSerializable(typeof(CloudEvent))]
[JsonSerializable(typeof(Notification))]
[JsonSerializable(typeof(BlobEvent))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;
