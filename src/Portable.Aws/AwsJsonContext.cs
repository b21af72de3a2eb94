using System.Text.Json.Serialization;
using Portable.Aws.Events;
using Portable.Aws.Runtime;

namespace Portable.Aws;

/// <summary>Source-generated JSON metadata for the AWS event, response and Runtime API shapes.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(HttpEvent))]
[JsonSerializable(typeof(HttpResult))]
[JsonSerializable(typeof(MessageEvent))]
[JsonSerializable(typeof(PlatformEvent))]
[JsonSerializable(typeof(SnsMessage))]
[JsonSerializable(typeof(BatchResponse))]
[JsonSerializable(typeof(ErrorPayload))]
internal sealed partial class AwsJsonContext : JsonSerializerContext;
