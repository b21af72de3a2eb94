namespace Portable.Aws.Runtime;

/// <summary>
/// One Lambda invocation as <c>GET /runtime/invocation/next</c> hands it over: the event and the <c>Lambda-Runtime-*</c>
/// headers. What <see cref="LambdaRuntimeLoop"/> passes to its handler; set once, when the invocation is created, and never
/// changed after.
/// </summary>
public sealed class LambdaInvocation
{
    /// <summary><c>Lambda-Runtime-Aws-Request-Id</c>: the id Lambda logs and answers are posted under.</summary>
    public required string RequestId { get; init; }

    /// <summary>The event, as sent (for an HTTP function, the API Gateway, ALB or function URL JSON).</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>
    /// Whether <see cref="Payload"/> is this invocation's own array (the runtime client reads each event into a new one), which the
    /// dispatcher may overwrite while it handles the event: an HTTP body is then unescaped or base64-decoded where it lies in the
    /// event instead of into a copy. False for a payload someone else may read again.
    /// </summary>
    internal bool PayloadIsOwned { get; init; }

    /// <summary><c>Lambda-Runtime-Deadline-Ms</c>, as a time: when Lambda stops the invocation. Null when the Runtime API did not say.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary><c>Lambda-Runtime-Invoked-Function-Arn</c>: the ARN the function was invoked with, alias or version included.</summary>
    public string? FunctionArn { get; init; }

    /// <summary><c>Lambda-Runtime-Trace-Id</c>: the X-Ray header (<c>Root=1-…;Parent=…;Sampled=1</c>).</summary>
    public string? TraceHeader { get; init; }

    /// <summary><c>Lambda-Runtime-Client-Context</c>: JSON from a mobile SDK caller.</summary>
    internal string? ClientContext { get; init; }

    /// <summary><c>Lambda-Runtime-Cognito-Identity</c>: JSON from a mobile SDK caller.</summary>
    internal string? CognitoIdentity { get; init; }
}
