namespace Portable;

/// <summary>The kinds of <see cref="ExpectedVersion"/>.</summary>
public enum ExpectedVersionKind
{
    /// <summary>Unconditional.</summary>
    Any,

    /// <summary>The document must not exist.</summary>
    None,

    /// <summary>The stored version must match.</summary>
    Exactly,
}
