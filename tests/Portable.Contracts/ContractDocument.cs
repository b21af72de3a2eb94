namespace Portable.Contracts;

/// <summary>The document the repository contract stores.</summary>
/// <param name="Name">A text field.</param>
/// <param name="Count">A number the concurrency tests increment.</param>
public sealed record ContractDocument(string Name, int Count);
