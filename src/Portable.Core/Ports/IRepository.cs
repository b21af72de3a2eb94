namespace Portable;

/// <summary>
/// Stores documents of one type by id, with optimistic concurrency: every write returns a new version,
/// and a write that expects a version that is no longer current throws <see cref="ConcurrencyConflictException"/>.
/// </summary>
/// <typeparam name="T">The document type, serialized with the app's JSON contexts.</typeparam>
/// <remarks>Register the collection name once with <c>builder.Resources.AddRepository&lt;T&gt;("name")</c>; the adapter supplies the implementation.</remarks>
public interface IRepository<T>
{
    /// <summary>Reads a document.</summary>
    /// <param name="id">The document id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The document with its version, or null when there is none.</returns>
    Task<Stored<T>?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Writes a document.</summary>
    /// <param name="id">The document id.</param>
    /// <param name="value">The document.</param>
    /// <param name="expected">What the stored version must be for the write to happen.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The new version.</returns>
    /// <exception cref="ConcurrencyConflictException">The stored version is not the expected one.</exception>
    Task<string> PutAsync(string id, T value, ExpectedVersion expected, CancellationToken cancellationToken);

    /// <summary>Deletes a document.</summary>
    /// <param name="id">The document id.</param>
    /// <param name="expected">What the stored version must be for the delete to happen.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>True when a document was deleted, false when there was none.</returns>
    /// <exception cref="ConcurrencyConflictException">The stored version is not the expected one.</exception>
    Task<bool> DeleteAsync(string id, ExpectedVersion expected, CancellationToken cancellationToken);

    /// <summary>Reads the documents one page at a time; every document appears once in a full pass. Local, Azure and Firestore list in id order, DynamoDB in no particular order (see the README).</summary>
    /// <param name="request">The page size and the continuation token of the previous page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One page and the token for the next, null after the last page.</returns>
    Task<Page<Stored<T>>> QueryAsync(PageRequest request, CancellationToken cancellationToken);
}
