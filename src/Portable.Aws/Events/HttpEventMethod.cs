namespace Portable.Aws.Events;

/// <summary><c>requestContext.http</c> of a payload 2.0 event.</summary>
internal sealed record HttpEventMethod
{
    public string? Method { get; init; }

    public string? Path { get; init; }

    public string? SourceIp { get; init; }
}
