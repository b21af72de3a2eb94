using System.Text.Json.Serialization.Metadata;

namespace Portable.Hosting;

/// <summary>A repository the app declared: its collection (table) name and the JSON metadata of its documents.</summary>
/// <typeparam name="T">The document type.</typeparam>
/// <param name="Name">The collection or table name.</param>
/// <param name="TypeInfo">The documents' source-generated JSON metadata.</param>
public sealed record RepositoryDefinition<T>(string Name, JsonTypeInfo<T> TypeInfo);
