namespace Portable.Hosting;

/// <summary>What an adapter knows about an invocation before it runs.</summary>
public sealed record InvocationInfo
{
    /// <summary>The platform's id for the invocation; a new GUID when null.</summary>
    public string? InvocationId { get; init; }

    /// <summary>When the platform stops the invocation, if it says.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The incoming trace context, the parent of the invocation's span; when null, the current activity's, else a new root.</summary>
    public TraceContext? Trace { get; init; }

    /// <summary>1 for a first delivery, higher for redeliveries.</summary>
    public int DeliveryAttempt { get; init; } = 1;

    /// <summary>The <c>messaging.system</c> of a message's invocation span, such as <c>aws_sqs</c> or <c>gcp_pubsub</c>.</summary>
    public string? MessagingSystem { get; init; }

    /// <summary>The message's id (<c>messaging.message.id</c>), when the invocation handles one message.</summary>
    public string? MessageId { get; init; }

    /// <summary>Platform-specific facts copied into <see cref="FunctionContext.Properties"/>.</summary>
    public IReadOnlyDictionary<string, object?>? Properties { get; init; }
}
