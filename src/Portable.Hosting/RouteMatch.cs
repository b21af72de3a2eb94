namespace Portable.Hosting;

/// <summary>The result of <see cref="HttpRouter.Match"/>.</summary>
/// <param name="Status">Whether a function was found, and if not why.</param>
/// <param name="Function">The function, when found.</param>
/// <param name="RouteValues">The captured route parameters, when found.</param>
public sealed record RouteMatch(RouteMatchStatus Status, FunctionDefinition? Function, IReadOnlyDictionary<string, string>? RouteValues)
{
    /// <summary>The methods the path is mapped for, for the <c>Allow</c> header of a 405; empty otherwise.</summary>
    public IReadOnlyList<string> AllowedMethods { get; init; } = [];
}
