namespace Portable.Local.Dashboard;

/// <summary>One stored document as the local store holds it.</summary>
/// <param name="Id">The document id.</param>
/// <param name="Version">Its version (the one <c>IRepository</c> hands out).</param>
/// <param name="UpdatedAt">When it was last written.</param>
/// <param name="Body">The document, as stored JSON text.</param>
internal sealed record DocumentView(string Id, string Version, DateTimeOffset UpdatedAt, string Body);
