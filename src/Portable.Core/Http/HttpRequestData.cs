using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Portable;

/// <summary>A portable HTTP request: the same shape whether it came from Kestrel, API Gateway, a Cloud Run request or an Azure custom handler payload.</summary>
public sealed class HttpRequestData
{
    private Dictionary<string, string>? _cookies;

    /// <summary>Creates a request.</summary>
    /// <param name="method">The HTTP method in upper case.</param>
    /// <param name="path">The path without the query string, starting with <c>/</c>.</param>
    public HttpRequestData(string method, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(path);
        Method = method.ToUpperInvariant();
        Path = path.Length == 0 ? "/" : path;
    }

    /// <summary>The HTTP method in upper case.</summary>
    public string Method { get; }

    /// <summary>The path without the query string, starting with <c>/</c>.</summary>
    public string Path { get; }

    /// <summary>The headers.</summary>
    public HttpValues Headers { get; } = new();

    /// <summary>The query parameters (names compare case-sensitively).</summary>
    public HttpValues Query { get; } = new(StringComparer.Ordinal);

    /// <summary>The values the route template captured, such as <c>id</c> for <c>/orders/{id}</c>.</summary>
    public IDictionary<string, string> RouteValues { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The body, read in full.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The media type of the body without parameters, such as <c>application/json</c>, or null.</summary>
    public string? ContentType => Headers["Content-Type"]?.Split(';')[0].Trim();

    /// <summary>The cookies of the <c>Cookie</c> headers.</summary>
    public IReadOnlyDictionary<string, string> Cookies => _cookies ??= ParseCookies(Headers.GetValues("Cookie"));

    /// <summary>The body as UTF-8 text.</summary>
    /// <returns>The text.</returns>
    public string ReadText() => Encoding.UTF8.GetString(Body.Span);

    /// <summary>Reads the body as JSON.</summary>
    /// <typeparam name="T">The body type.</typeparam>
    /// <param name="typeInfo">Its source-generated JSON metadata.</param>
    /// <returns>The body.</returns>
    /// <exception cref="InvalidInputException">The body is empty or not a valid <typeparamref name="T"/>.</exception>
    public T ReadJson<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return Json.PortableJson.Deserialize(Body, Json.PortableJson.ForInput(typeInfo), "The request body");
    }

    private static Dictionary<string, string> ParseCookies(IReadOnlyList<string> headers)
    {
        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var header in headers)
        {
            foreach (var part in header.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = part.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0) cookies.TryAdd(part[..eq], Uri.UnescapeDataString(part[(eq + 1)..]));
            }
        }

        return cookies;
    }
}
