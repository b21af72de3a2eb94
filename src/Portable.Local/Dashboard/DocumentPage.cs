namespace Portable.Local.Dashboard;

/// <summary>A page of <c>GET /_portable/api/repositories/{name}/documents</c>, in id order.</summary>
/// <param name="Repository">The repository.</param>
/// <param name="Documents">The documents of the page.</param>
/// <param name="Next">The id to pass as <c>?after=</c> for the next page, or null on the last page.</param>
internal sealed record DocumentPage(string Repository, IReadOnlyList<DocumentView> Documents, string? Next);
