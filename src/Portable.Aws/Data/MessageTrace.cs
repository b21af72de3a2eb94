namespace Portable.Aws.Data;

/// <summary>
/// The attributes that carry a trace across SQS and SNS: the W3C <c>traceparent</c> and <c>tracestate</c> as message attributes
/// (SQS and SNS), and X-Ray's <c>AWSTraceHeader</c> as an SQS system attribute, which Lambda's event source mapping keeps.
/// </summary>
internal static class MessageTrace
{
    /// <summary>The message attribute with the sender's <c>traceparent</c>.</summary>
    public const string TraceParent = "traceparent";

    /// <summary>The message attribute with the sender's <c>tracestate</c>, when it has one.</summary>
    public const string TraceState = "tracestate";

    /// <summary>The SQS message system attribute with the sender's trace in X-Ray form.</summary>
    public const string AwsTraceHeader = "AWSTraceHeader";
}
