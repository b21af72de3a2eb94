namespace Portable.Hosting;

/// <summary>What an adapter knows about an invocation before it runs.</summary>
public sealed record InvocationInfo
{
    /// <summary>The platform's id for the invocation; a new GUID when null.</summary>
    public string? InvocationId { get; init; }

    /// <summary>When the platform stops the invocation, if it says.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The trace context; a new root when null.</summary>
    public TraceContext? Trace { get; init; }

    /// <summary>1 for a first delivery, higher for redeliveries.</summary>
    public int DeliveryAttempt { get; init; } = 1;

    /// <summary>Platform-specific facts copied into <see cref="FunctionContext.Properties"/>.</summary>
    public IReadOnlyDictionary<string, object?>? Properties { get; init; }
}
