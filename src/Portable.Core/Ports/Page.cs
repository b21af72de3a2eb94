namespace Portable;

/// <summary>One page of a query.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of this page.</param>
/// <param name="ContinuationToken">Pass it in the next <see cref="PageRequest"/>; null after the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);
