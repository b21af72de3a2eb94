namespace Portable.Hosting;

/// <summary>Calls one function's handler with an input read the way its trigger delivers it. One subclass per handler shape, closed over its types at registration: no reflection at invocation.</summary>
internal abstract class FunctionInvoker
{
    public virtual ValueTask<HttpResponseData> InvokeHttpAsync(IServiceProvider services, HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException($"Function '{context.FunctionName}' is not an HTTP function.");

    public virtual ValueTask InvokeMessageAsync(IServiceProvider services, ReadOnlyMemory<byte> message, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException($"Function '{context.FunctionName}' does not take queue messages.");

    public virtual ValueTask InvokeNotificationAsync(IServiceProvider services, Notification notification, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException($"Function '{context.FunctionName}' does not take notifications.");

    public virtual ValueTask InvokeEventAsync(IServiceProvider services, CloudEvent cloudEvent, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException($"Function '{context.FunctionName}' does not take events.");

    public virtual ValueTask InvokeScheduleAsync(IServiceProvider services, ScheduledEvent scheduledEvent, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException($"Function '{context.FunctionName}' is not a scheduled function.");

    /// <summary>Direct invocation: the trigger's input as JSON in, the output as JSON out (null when the function has none).</summary>
    public abstract ValueTask<byte[]?> InvokeJsonAsync(IServiceProvider services, ReadOnlyMemory<byte> input, FunctionContext context, CancellationToken cancellationToken);
}
