namespace Portable.Aws.Runtime;

/// <summary>One invocation as <c>GET /runtime/invocation/next</c> hands it over: the event and the <c>Lambda-Runtime-*</c> headers.</summary>
internal sealed record LambdaInvocation
{
    /// <summary><c>Lambda-Runtime-Aws-Request-Id</c>.</summary>
    public required string RequestId { get; init; }

    /// <summary>The event, as sent.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary><c>Lambda-Runtime-Deadline-Ms</c>, as a time.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary><c>Lambda-Runtime-Invoked-Function-Arn</c>.</summary>
    public string? FunctionArn { get; init; }

    /// <summary><c>Lambda-Runtime-Trace-Id</c>: the X-Ray header (<c>Root=1-…;Parent=…;Sampled=1</c>).</summary>
    public string? TraceHeader { get; init; }

    /// <summary><c>Lambda-Runtime-Client-Context</c>: JSON from a mobile SDK caller.</summary>
    public string? ClientContext { get; init; }

    /// <summary><c>Lambda-Runtime-Cognito-Identity</c>: JSON from a mobile SDK caller.</summary>
    public string? CognitoIdentity { get; init; }
}
