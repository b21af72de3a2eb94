using System.Text.Json.Serialization;

namespace Portable.Hosting.TestApp;

/// <summary>Source-generated JSON for the typed function.</summary>
[JsonSerializable(typeof(EchoRequest))]
[JsonSerializable(typeof(EchoResponse))]
internal sealed partial class TableJson : JsonSerializerContext;
