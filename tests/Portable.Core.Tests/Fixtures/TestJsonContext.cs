using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portable.Core.Tests.Fixtures;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Greeting))]
[JsonSerializable(typeof(GreetingReply))]
[JsonSerializable(typeof(OrderPlaced))]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(Invoice))]
public sealed partial class TestJsonContext : JsonSerializerContext;
