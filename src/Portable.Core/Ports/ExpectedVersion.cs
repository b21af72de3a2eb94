namespace Portable;

/// <summary>The condition a repository write is made under.</summary>
public readonly record struct ExpectedVersion
{
    private ExpectedVersion(ExpectedVersionKind kind, string? version)
    {
        Kind = kind;
        Version = version;
    }

    /// <summary>Write whatever is stored (last writer wins).</summary>
    public static ExpectedVersion Any { get; } = new(ExpectedVersionKind.Any, null);

    /// <summary>Write only when no document has this id (create).</summary>
    public static ExpectedVersion None { get; } = new(ExpectedVersionKind.None, null);

    /// <summary>What kind of condition this is.</summary>
    public ExpectedVersionKind Kind { get; }

    /// <summary>The version that must be stored, for <see cref="ExpectedVersionKind.Exactly"/>.</summary>
    public string? Version { get; }

    /// <summary>Write only when the stored version is <paramref name="version"/> (update).</summary>
    /// <param name="version">A version returned by a read or a write.</param>
    /// <returns>The condition.</returns>
    public static ExpectedVersion Exactly(string version)
    {
        ArgumentException.ThrowIfNullOrEmpty(version);
        return new(ExpectedVersionKind.Exactly, version);
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ExpectedVersionKind.Any => "any version",
        ExpectedVersionKind.None => "no document",
        _ => $"version {Version}",
    };
}
