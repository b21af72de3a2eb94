using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portable.Gcp.Tests.Fixtures;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Job))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
