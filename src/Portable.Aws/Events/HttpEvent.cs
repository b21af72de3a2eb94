using System.Text.Json.Serialization;

namespace Portable.Aws.Events;

/// <summary>
/// The fields of the four HTTP event shapes Lambda receives, read into one record: API Gateway REST (payload 1.0,
/// <c>httpMethod</c> + <c>path</c>), HTTP API and function URLs (payload 2.0, <c>rawPath</c>), and ALB target events
/// (<c>requestContext.elb</c>, single- or multi-value headers). Read once, straight from the event's bytes: headers and
/// query parameters as name-value pairs. The body is not read here: <see cref="HttpEvents.ReadBody"/> reads it straight from its
/// JSON token, so a large body is copied at most once.
/// </summary>
internal sealed record HttpEvent
{
    public string? Version { get; init; }

    public string? RouteKey { get; init; }

    public string? RawPath { get; init; }

    public string? RawQueryString { get; init; }

    public List<string>? Cookies { get; init; }

    public string? HttpMethod { get; init; }

    public string? Path { get; init; }

    [JsonConverter(typeof(HttpValuePairsConverter))]
    public List<KeyValuePair<string, string>>? Headers { get; init; }

    [JsonConverter(typeof(HttpValuePairsConverter))]
    public List<KeyValuePair<string, string>>? MultiValueHeaders { get; init; }

    [JsonConverter(typeof(HttpValuePairsConverter))]
    public List<KeyValuePair<string, string>>? QueryStringParameters { get; init; }

    [JsonConverter(typeof(HttpValuePairsConverter))]
    public List<KeyValuePair<string, string>>? MultiValueQueryStringParameters { get; init; }

    public bool IsBase64Encoded { get; init; }

    public HttpEventContext? RequestContext { get; init; }
}
