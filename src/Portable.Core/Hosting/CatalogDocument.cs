namespace Portable.Hosting;

/// <summary>The function catalog as JSON: what <c>--describe</c> prints and what deployment generators read.</summary>
/// <param name="App">The application name.</param>
/// <param name="Functions">Every function.</param>
/// <param name="Repositories">Every declared repository.</param>
/// <param name="Queues">Every declared or consumed queue.</param>
/// <param name="Topics">Every declared or subscribed topic.</param>
/// <param name="Secrets">Every declared secret's name (never a value); omitted when none.</param>
/// <param name="Buckets">Every bucket's name; omitted when none.</param>
internal sealed record CatalogDocument(
    string App,
    IReadOnlyList<CatalogFunction> Functions,
    IReadOnlyList<ResourceDescription> Repositories,
    IReadOnlyList<ResourceDescription> Queues,
    IReadOnlyList<ResourceDescription> Topics,
    IReadOnlyList<string>? Secrets,
    IReadOnlyList<string>? Buckets);
