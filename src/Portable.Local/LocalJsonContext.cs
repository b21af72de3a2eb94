using System.Text.Json.Serialization;
using Portable.Local.Queues;

namespace Portable.Local;

/// <summary>Source-generated JSON metadata for the local host's own documents.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Notification))]
[JsonSerializable(typeof(NotificationHeader))]
[JsonSerializable(typeof(IReadOnlyList<QueueStats>))]
[JsonSerializable(typeof(IReadOnlyList<DeadLetter>))]
[JsonSerializable(typeof(RedriveResult))]
[JsonSerializable(typeof(Portable.Blobs.BlobEvent))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class LocalJsonContext : JsonSerializerContext;
