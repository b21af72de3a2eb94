using Microsoft.Extensions.Logging;

namespace Portable;

/// <summary>What a function knows about the invocation it is handling. One instance per invocation.</summary>
public sealed class FunctionContext
{
    private readonly TimeProvider _time;

    /// <summary>Creates a context. Adapters and tests create contexts; functions receive them.</summary>
    /// <param name="invocationId">The platform's id for this invocation (the Lambda request id, the Azure invocation id, …).</param>
    /// <param name="functionName">The Portable function name.</param>
    /// <param name="platform">The platform name: <c>local</c>, <c>aws</c>, <c>gcp</c> or <c>azure</c>; a unit test that makes its own context may pass any name.</param>
    /// <param name="services">The invocation's scoped services.</param>
    /// <param name="logger">A logger whose scope carries the invocation id and function name.</param>
    /// <param name="deadline">When the platform stops the invocation, if it says.</param>
    /// <param name="trace">The W3C trace context of the invocation.</param>
    /// <param name="deliveryAttempt">1 for a first delivery, higher for redeliveries of a message.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public FunctionContext(
        string invocationId,
        string functionName,
        string platform,
        IServiceProvider services,
        ILogger logger,
        DateTimeOffset? deadline = null,
        TraceContext? trace = null,
        int deliveryAttempt = 1,
        TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(invocationId);
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        ArgumentException.ThrowIfNullOrEmpty(platform);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(logger);
        InvocationId = invocationId;
        FunctionName = functionName;
        Platform = platform;
        Services = services;
        Logger = logger;
        Deadline = deadline;
        Trace = trace ?? TraceContext.NewRoot();
        DeliveryAttempt = deliveryAttempt;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The platform's id for this invocation.</summary>
    public string InvocationId { get; }

    /// <summary>The Portable function name.</summary>
    public string FunctionName { get; }

    /// <summary>
    /// The platform running the function: <c>local</c>, <c>aws</c>, <c>gcp</c> or <c>azure</c>. <c>PortableTestHost</c> runs the
    /// local adapter, so it says <c>local</c>; its cloud drivers run the cloud adapters' code and say that cloud's name.
    /// </summary>
    public string Platform { get; }

    /// <summary>When the platform stops this invocation, or null when it sets no limit.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>The time left before <see cref="Deadline"/>; <see cref="Timeout.InfiniteTimeSpan"/> without one.</summary>
    public TimeSpan RemainingTime => Deadline is { } deadline
        ? (deadline - _time.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero)
        : Timeout.InfiniteTimeSpan;

    /// <summary>The W3C trace context (AWS X-Ray and Google trace headers are converted to it).</summary>
    public TraceContext Trace { get; }

    /// <summary>1 for the first delivery of a message or event, higher for redeliveries.</summary>
    public int DeliveryAttempt { get; }

    /// <summary>The invocation's scoped services: one DI scope per invocation.</summary>
    public IServiceProvider Services { get; }

    /// <summary>A logger whose scope carries the invocation id and function name.</summary>
    public ILogger Logger { get; }

    /// <summary>Platform-specific facts (AWS client context, Azure retry context, …), keyed by the adapter's documented names.</summary>
    public IDictionary<string, object?> Properties { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);
}
