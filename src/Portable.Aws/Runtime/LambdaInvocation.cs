namespace Portable.Aws.Runtime;

/// <summary>One invocation as <c>GET /runtime/invocation/next</c> hands it over: the event and the <c>Lambda-Runtime-*</c> headers.</summary>
internal sealed record LambdaInvocation
{
    /// <summary><c>Lambda-Runtime-Aws-Request-Id</c>.</summary>
    public required string RequestId { get; init; }

    /// <summary>The event, as sent.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>
    /// Whether <see cref="Payload"/> is this invocation's own array (the runtime client reads each event into a new one), which the
    /// dispatcher may overwrite while it handles the event: an HTTP body is then unescaped or base64-decoded where it lies in the
    /// event instead of into a copy. False for a payload someone else may read again.
    /// </summary>
    public bool PayloadIsOwned { get; init; }

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
