namespace Portable.Aws.Events;

/// <summary>The parts of an HTTP event's <c>requestContext</c> the adapter reads.</summary>
internal sealed record HttpEventContext
{
    public string? RequestId { get; init; }

    public string? Stage { get; init; }

    /// <summary>The host the caller used; a function URL's is <c>{url-id}.lambda-url.{region}.on.aws</c>.</summary>
    public string? DomainName { get; init; }

    public HttpEventElb? Elb { get; init; }

    public HttpEventMethod? Http { get; init; }
}
