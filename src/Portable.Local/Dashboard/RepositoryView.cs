namespace Portable.Local.Dashboard;

/// <summary>A repository of the app and how many documents the local store holds in it.</summary>
/// <param name="Name">The repository (collection) name.</param>
/// <param name="Type">The document type, as the catalog names it.</param>
/// <param name="Count">How many documents it holds.</param>
internal sealed record RepositoryView(string Name, string? Type, long Count);
