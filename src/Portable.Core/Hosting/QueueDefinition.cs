using System.Text.Json.Serialization.Metadata;

namespace Portable.Hosting;

/// <summary>A queue the app declared: its name and the JSON metadata of its messages.</summary>
/// <typeparam name="T">The message type.</typeparam>
/// <param name="Name">The queue name.</param>
/// <param name="TypeInfo">The messages' source-generated JSON metadata.</param>
public sealed record QueueDefinition<T>(string Name, JsonTypeInfo<T> TypeInfo);
