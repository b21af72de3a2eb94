namespace Portable.Hosting;

/// <summary>The result of <see cref="HttpRouter.Match"/>.</summary>
/// <param name="Status">Whether a function was found, and if not why.</param>
/// <param name="Function">The function, when found.</param>
/// <param name="RouteValues">The captured route parameters, when found.</param>
public sealed record RouteMatch(RouteMatchStatus Status, FunctionDefinition? Function, IReadOnlyDictionary<string, string>? RouteValues);
