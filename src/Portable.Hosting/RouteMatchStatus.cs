namespace Portable.Hosting;

/// <summary>Whether a request matched a route.</summary>
public enum RouteMatchStatus
{
    /// <summary>A function matched the method and path.</summary>
    Found,

    /// <summary>No route matches the path (404).</summary>
    NotFound,

    /// <summary>A route matches the path but not the method (405).</summary>
    MethodNotAllowed,
}
