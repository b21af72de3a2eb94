namespace Portable.Aws.Events;

/// <summary>Which source sent an HTTP event, which decides the shape of the response.</summary>
internal enum HttpEventKind
{
    /// <summary>API Gateway REST API, Lambda proxy integration (payload 1.0).</summary>
    RestApi,

    /// <summary>API Gateway HTTP API or a Lambda function URL (payload 2.0).</summary>
    HttpApi,

    /// <summary>Application Load Balancer with single-value headers.</summary>
    Alb,

    /// <summary>Application Load Balancer with multi-value headers enabled.</summary>
    AlbMultiValue,
}
