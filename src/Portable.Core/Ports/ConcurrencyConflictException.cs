namespace Portable;

/// <summary>A repository write was refused because the stored document is not at the expected version: re-read it and try again.</summary>
public sealed class ConcurrencyConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="collection">The repository's collection name.</param>
    /// <param name="id">The document id.</param>
    /// <param name="expected">What the write expected.</param>
    public ConcurrencyConflictException(string collection, string id, ExpectedVersion expected)
        : this(collection, id, expected, null)
    {
    }

    /// <summary>Creates the exception with the store's refusal as its cause.</summary>
    /// <param name="collection">The repository's collection name.</param>
    /// <param name="id">The document id.</param>
    /// <param name="expected">What the write expected.</param>
    /// <param name="innerException">The store's refusal.</param>
    public ConcurrencyConflictException(string collection, string id, ExpectedVersion expected, Exception? innerException)
        : base($"The write to '{collection}/{id}' expected {expected}, but the stored document differs. Read it again and retry.", innerException)
    {
        Collection = collection;
        Id = id;
        Expected = expected;
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public ConcurrencyConflictException(string message)
        : base(message)
    {
        Collection = "";
        Id = "";
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The store's error.</param>
    public ConcurrencyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
        Collection = "";
        Id = "";
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public ConcurrencyConflictException()
        : this("The stored document is not at the expected version.")
    {
    }

    /// <summary>The repository's collection name.</summary>
    public string Collection { get; }

    /// <summary>The document id.</summary>
    public string Id { get; }

    /// <summary>What the refused write expected.</summary>
    public ExpectedVersion Expected { get; }
}
