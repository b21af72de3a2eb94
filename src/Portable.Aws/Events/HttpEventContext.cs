namespace Portable.Aws.Events;

/// <summary>The parts of an HTTP event's <c>requestContext</c> the adapter reads.</summary>
internal sealed record HttpEventContext
{
    public string? RequestId { get; init; }

    public string? Stage { get; init; }

    public HttpEventElb? Elb { get; init; }

    public HttpEventMethod? Http { get; init; }
}
