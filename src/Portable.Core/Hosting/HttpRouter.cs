namespace Portable.Hosting;

/// <summary>Finds the HTTP function for a method and path, the same way on every platform.</summary>
public sealed class HttpRouter
{
    private readonly (FunctionDefinition Function, RouteTemplate Route)[] _routes;

    /// <summary>Builds the router from the catalog's HTTP functions.</summary>
    /// <param name="catalog">The catalog.</param>
    public HttpRouter(FunctionCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _routes = catalog.Functions
            .Where(f => f.Trigger.Kind == TriggerKind.Http)
            .Select(f => (f, RouteTemplate.Parse(f.Trigger.Route!)))
            .OrderByDescending(r => r.Item2.Specificity)
            .ToArray();
    }

    /// <summary>Finds the function for a request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path without the query string.</param>
    /// <returns>The match, or why there is none.</returns>
    public RouteMatch Match(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        var pathMatched = false;
        foreach (var (function, route) in _routes)
        {
            if (!route.TryMatch(path, out var values)) continue;
            var routeMethod = function.Trigger.Method!;
            if (routeMethod == "*" || string.Equals(routeMethod, method, StringComparison.OrdinalIgnoreCase)
                || (routeMethod == "GET" && string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase)))
            {
                return new RouteMatch(RouteMatchStatus.Found, function, values);
            }

            pathMatched = true;
        }

        return new RouteMatch(pathMatched ? RouteMatchStatus.MethodNotAllowed : RouteMatchStatus.NotFound, null, null);
    }
}
