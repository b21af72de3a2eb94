namespace Portable.AspNetCore;

/// <summary>
/// The Lambda invocation behind a request served on AWS Lambda: <c>HttpContext.Features.Get&lt;ILambdaInvocationFeature&gt;()</c>.
/// Absent when the app runs anywhere else (on Kestrel), so code that reads it works unchanged locally.
/// </summary>
public interface ILambdaInvocationFeature
{
    /// <summary>The Lambda request id (<c>Lambda-Runtime-Aws-Request-Id</c>); also the request's <c>HttpContext.TraceIdentifier</c>.</summary>
    string RequestId { get; }

    /// <summary>When Lambda stops the invocation (<c>Lambda-Runtime-Deadline-Ms</c>); <c>HttpContext.RequestAborted</c> is signalled then.</summary>
    DateTimeOffset? Deadline { get; }

    /// <summary>The ARN the function was invoked with (<c>Lambda-Runtime-Invoked-Function-Arn</c>), with its alias or version.</summary>
    string? FunctionArn { get; }

    /// <summary>The X-Ray trace header of the invocation (<c>Lambda-Runtime-Trace-Id</c>).</summary>
    string? TraceHeader { get; }

    /// <summary>The event as Lambda delivered it (API Gateway, ALB or function URL JSON), untouched, for what the request does not carry (authorizer claims, stage variables).</summary>
    ReadOnlyMemory<byte> RawEvent { get; }
}
