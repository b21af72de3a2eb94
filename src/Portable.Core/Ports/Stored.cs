namespace Portable;

/// <summary>A document as stored, with its id and current version.</summary>
/// <typeparam name="T">The document type.</typeparam>
/// <param name="Id">The document id.</param>
/// <param name="Value">The document.</param>
/// <param name="Version">The opaque version (a counter, an ETag or an update time, depending on the store).</param>
public sealed record Stored<T>(string Id, T Value, string Version);
