namespace Portable.Aws.Events;

/// <summary>Which service invoked the function with an HTTP event (<see cref="HttpEventRequest.Source"/>).</summary>
public enum HttpEventSource
{
    /// <summary>API Gateway REST API, Lambda proxy integration (payload 1.0).</summary>
    RestApi,

    /// <summary>API Gateway HTTP API (payload 2.0).</summary>
    HttpApi,

    /// <summary>A Lambda function URL (payload 2.0, <c>requestContext.domainName</c> under <c>.lambda-url.</c>).</summary>
    FunctionUrl,

    /// <summary>An Application Load Balancer.</summary>
    Alb,
}
