namespace Portable.Aws.Events;

/// <summary>
/// The response to an HTTP event, in the union of its three shapes: API Gateway REST (<c>multiValueHeaders</c>), HTTP API
/// and function URLs (<c>cookies</c>), ALB (<c>statusDescription</c>; <c>headers</c> or <c>multiValueHeaders</c>). Absent fields are not written.
/// </summary>
internal sealed record HttpResult
{
    public int StatusCode { get; init; }

    public string? StatusDescription { get; init; }

    public Dictionary<string, string>? Headers { get; init; }

    public Dictionary<string, List<string>>? MultiValueHeaders { get; init; }

    public List<string>? Cookies { get; init; }

    public HttpResultBody Body { get; init; }

    public bool IsBase64Encoded { get; init; }
}
