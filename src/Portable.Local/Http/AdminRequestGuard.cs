using System.Net;
using Microsoft.AspNetCore.Http;

namespace Portable.Local.Http;

/// <summary>
/// Keeps other web pages away from the dashboard and the admin API under <c>/_portable/</c> (invoke, send, redrive, fire, upload).
/// The host listens on 127.0.0.1 only, so a page in the developer's browser is the one way in: by DNS rebinding (its own name
/// pointed at 127.0.0.1, then read anything) or by a cross-site request (a form or fetch that changes something). Two rules:
/// the request's <c>Host</c> is a loopback name or one of <see cref="LocalOptions.AllowedHosts"/>; and a request that changes
/// something (any method but GET, HEAD and OPTIONS) does not come from another site: <c>Sec-Fetch-Site</c> is <c>same-origin</c>
/// or <c>none</c> when the browser sends it, otherwise <c>Origin</c>, when present, names this host. Clients that are not browsers
/// (curl, tests, scripts) send neither header and are served. A signed object URL carries its own authority and is not checked here.
/// </summary>
internal static class AdminRequestGuard
{
    /// <summary>Why <paramref name="request"/> is refused, or null when it may be served.</summary>
    public static string? Refusal(HttpRequest request, LocalOptions options)
    {
        var host = request.Headers.Host.ToString();
        var name = NameOf(host);
        if (name is null || !(IsLoopback(name) || options.AllowedHosts.Contains(name, StringComparer.OrdinalIgnoreCase)))
        {
            return $"the request is addressed to host '{host}', which is not a loopback name (localhost, 127.0.0.1, [::1]). " +
                "The admin API answers only requests addressed to this machine, so that a web page cannot reach it by pointing its own " +
                $"name at 127.0.0.1. If you reach the host through a forwarded name, add it to {LocalOptions.SectionName}:AllowedHosts";
        }

        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)) return null;

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is "same-origin" or "none" ? null
                : $"a {request.Method} request from another site (Sec-Fetch-Site: {site}) may not change the local host; use the dashboard at /_portable/ or a client such as curl";
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return null;
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, host, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"a {request.Method} request from origin '{origin}' may not change the local host at '{host}'; use the dashboard at /_portable/ or a client such as curl";
    }

    /// <summary>The name part of a <c>Host</c> header (<c>localhost:8080</c> → <c>localhost</c>, <c>[::1]:8080</c> → <c>::1</c>), or null when it has none.</summary>
    private static string? NameOf(string host)
    {
        if (host.Length == 0) return null;
        if (host[0] == '[')
        {
            var end = host.IndexOf(']', StringComparison.Ordinal);
            return end > 1 ? host[1..end] : null;
        }

        var colon = host.LastIndexOf(':');
        return colon >= 0 ? host[..colon] : host;
    }

    private static bool IsLoopback(string name)
        => name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address) && (name.Contains(':', StringComparison.Ordinal) || name.Count(c => c == '.') == 3));
}
