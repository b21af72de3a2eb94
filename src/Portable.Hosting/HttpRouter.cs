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
    /// <returns>The match, or why there is none (with the methods the path takes, for a 405).</returns>
    public RouteMatch Match(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        List<string>? allowed = null;
        foreach (var (function, route) in _routes)
        {
            if (!route.TryMatch(path, out var values)) continue;
            if (Allows(function.Trigger.Method!, method)) return new RouteMatch(RouteMatchStatus.Found, function, values);
            allowed ??= [];
            AddAllowed(allowed, function.Trigger.Method!);
        }

        return allowed is null
            ? new RouteMatch(RouteMatchStatus.NotFound, null, null)
            : new RouteMatch(RouteMatchStatus.MethodNotAllowed, null, null) { AllowedMethods = allowed };
    }

    /// <summary>Matches a request against one function's route, for platforms that give every request to one function.</summary>
    /// <param name="function">The function.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path without the query string.</param>
    /// <returns>
    /// Found with the route values when the path matches; Found without values when it does not but the route has no parameters
    /// (a Cloud Run or Azure function answers on its own URL, whatever the path); NotFound when parameters cannot be known;
    /// MethodNotAllowed when the function does not take the method.
    /// </returns>
    public static RouteMatch MatchOne(FunctionDefinition function, string method, string path)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(method);
        var route = RouteTemplate.Parse(function.Trigger.Route!);
        var matched = route.TryMatch(path, out var values);
        if (!matched && route.Parameters.Any()) return new RouteMatch(RouteMatchStatus.NotFound, null, null);
        if (!Allows(function.Trigger.Method!, method))
        {
            List<string> allowed = [];
            AddAllowed(allowed, function.Trigger.Method!);
            return new RouteMatch(RouteMatchStatus.MethodNotAllowed, null, null) { AllowedMethods = allowed };
        }

        return new RouteMatch(RouteMatchStatus.Found, function, matched ? values : new Dictionary<string, string>(StringComparer.Ordinal));
    }

    /// <summary>
    /// The methods <c>*</c> stands for: those every platform's gateway forwards to a function (API Gateway's <c>ANY</c>).
    /// <c>CONNECT</c>, <c>TRACE</c> and unknown methods reach no function on any platform, so none does here either: 405.
    /// </summary>
    private static readonly string[] AnyMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    private static bool Allows(string routeMethod, string method)
        => routeMethod == "*"
            ? AnyMethods.Contains(method, StringComparer.OrdinalIgnoreCase)
            : string.Equals(routeMethod, method, StringComparison.OrdinalIgnoreCase)
              || (routeMethod == "GET" && string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase));

    private static void AddAllowed(List<string> allowed, string routeMethod)
    {
        foreach (var method in routeMethod == "*" ? AnyMethods : routeMethod == "GET" ? ["GET", "HEAD"] : [routeMethod])
        {
            if (!allowed.Contains(method, StringComparer.Ordinal)) allowed.Add(method);
        }
    }
}
