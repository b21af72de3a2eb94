using System.Security.Cryptography;
using Portable.Hosting;

namespace Portable.Local.Dashboard;

/// <summary>
/// The dashboard's three hand-written files, embedded in Portable.Local (<c>Dashboard/Assets</c>): read and hashed on their first
/// request, never at start. Each answer carries its content type, a strong ETag (a <c>If-None-Match</c> that matches answers
/// 304), <c>Cache-Control: no-cache</c> (the browser revalidates, so a new build shows at once) and the dashboard's security headers.
/// </summary>
internal static class DashboardAssets
{
    /// <summary>Scripts and styles only from the host itself, no inline script, no frames, no forms posting elsewhere.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Lazy<Asset> Html = new(() => Load("index.html", "text/html; charset=utf-8"));
    private static readonly Lazy<Asset> Script = new(() => Load("dashboard.js", "text/javascript; charset=utf-8"));
    private static readonly Lazy<Asset> Style = new(() => Load("dashboard.css", "text/css; charset=utf-8"));

    /// <summary>The asset at a path under <c>/_portable/</c> (empty for the page), or null.</summary>
    public static HttpResponseData? Serve(string path, HttpRequestData request)
    {
        var asset = path switch
        {
            "" or "index.html" => Html.Value,
            "dashboard.js" => Script.Value,
            "dashboard.css" => Style.Value,
            _ => null,
        };
        if (asset is null) return null;
        var matches = request.Headers.GetValues("If-None-Match").SelectMany(v => v.Split(',')).Any(tag => tag.Trim() == asset.ETag);
        var response = new HttpResponseData(matches ? 304 : 200);
        if (!matches)
        {
            response.Body = asset.Content;
            response.Headers["Content-Type"] = asset.ContentType;
        }

        response.Headers["ETag"] = asset.ETag;
        response.Headers["Cache-Control"] = "no-cache";
        Secure(response);
        return response;
    }

    /// <summary>Adds the headers every dashboard answer carries (the API's too).</summary>
    public static HttpResponseData Secure(HttpResponseData response)
    {
        response.Headers["Content-Security-Policy"] = ContentSecurityPolicy;
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        return response;
    }

    private static Asset Load(string name, string contentType)
    {
        var resource = "Portable.Local.Dashboard." + name;
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The dashboard asset '{resource}' is not embedded in Portable.Local; the package is incomplete.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        return new Asset(content, contentType, "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"");
    }

    private sealed record Asset(byte[] Content, string ContentType, string ETag);
}
