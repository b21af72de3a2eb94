namespace Portable.Aws.Events;

/// <summary>
/// The fields of the four HTTP event shapes Lambda receives, read into one record: API Gateway REST (payload 1.0,
/// <c>httpMethod</c> + <c>path</c>), HTTP API and function URLs (payload 2.0, <c>rawPath</c>), and ALB target events
/// (<c>requestContext.elb</c>, single- or multi-value headers).
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

    public Dictionary<string, string?>? Headers { get; init; }

    public Dictionary<string, List<string>?>? MultiValueHeaders { get; init; }

    public Dictionary<string, string?>? QueryStringParameters { get; init; }

    public Dictionary<string, List<string>?>? MultiValueQueryStringParameters { get; init; }

    public string? Body { get; init; }

    public bool IsBase64Encoded { get; init; }

    public HttpEventContext? RequestContext { get; init; }
}
