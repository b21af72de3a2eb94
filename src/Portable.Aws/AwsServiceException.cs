using System.Net;

namespace Portable.Aws;

/// <summary>An AWS service refused a call that Portable.Aws made for a port (DynamoDB, SQS, SNS).</summary>
public sealed class AwsServiceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AwsServiceException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public AwsServiceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AwsServiceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal AwsServiceException(string service, string action, HttpStatusCode statusCode, string errorCode, string? errorMessage, string? requestId)
        : base($"{service} {action} answered {(int)statusCode} {errorCode}: {errorMessage ?? "(no message)"}" + (requestId is null ? "" : $" (request {requestId})"))
    {
        Service = service;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        RequestId = requestId;
    }

    /// <summary>The service, such as <c>DynamoDB</c>.</summary>
    public string? Service { get; }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The service's error code, such as <c>ResourceNotFoundException</c>.</summary>
    public string? ErrorCode { get; }

    /// <summary>The request id AWS gave the call, for a support case.</summary>
    public string? RequestId { get; }
}
