namespace Portable.Hosting;

/// <summary>A declared repository, queue or topic, as the catalog lists it.</summary>
/// <param name="Name">The resource name.</param>
/// <param name="Type">The document or message type name, null for a topic.</param>
public sealed record ResourceDescription(string Name, string? Type);
