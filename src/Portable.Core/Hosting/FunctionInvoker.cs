using Portable.Blobs;
namespace Portable.Hosting;

/// <summary>
/// Calls one function's handler with an input read the way its trigger delivers it. One subclass per handler shape, made by
/// the <c>Map*</c> calls and closed over its types at registration: no reflection at invocation. Adapters do not call it
/// themselves; <c>FunctionExecutor</c> (Portable.Hosting) does, inside the invocation's scope.
/// </summary>
public abstract class FunctionInvoker
{
    private protected FunctionInvoker()
    {
    }

    /// <summary>Runs an HTTP function.</summary>
    /// <param name="services">The invocation's scoped services.</param>
    /// <param name="request">The request, with its route values.</param>
    /// <param name="context">The invocation's context.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>The response.</returns>
    public virtual ValueTask<HttpResponseData> InvokeHttpAsync(IServiceProvider services, HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException($"Function '{context?.FunctionName}' is not an HTTP function.");

    /// <summary>Runs a queue or topic function with one message body (JSON).</summary>
    /// <param name="services">The invocation's scoped services.</param>
    /// <param name="message">The message body.</param>
    /// <param name="context">The invocation's context.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>A task that completes when the message is handled.</returns>
    public virtual ValueTask InvokeMessageAsync(IServiceProvider services, ReadOnlyMemory<byte> message, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException($"Function '{context?.FunctionName}' does not take queue messages.");

    /// <summary>Runs a topic function with one notification.</summary>
    /// <param name="services">The invocation's scoped services.</param>
    /// <param name="notification">The notification.</param>
    /// <param name="context">The invocation's context.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>A task that completes when the notification is handled.</returns>
    public virtual ValueTask InvokeNotificationAsync(IServiceProvider services, Notification notification, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException($"Function '{context?.FunctionName}' does not take notifications.");

    /// <summary>Runs an event function.</summary>
    /// <param name="services">The invocation's scoped services.</param>
    /// <param name="cloudEvent">The event.</param>
    /// <param name="context">The invocation's context.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    public virtual ValueTask InvokeEventAsync(IServiceProvider services, CloudEvent cloudEvent, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException($"Function '{context?.FunctionName}' does not take events.");

    /// <summary>Runs a scheduled function.</summary>
    /// <param name="services">The invocation's scoped services.</param>
    /// <param name="scheduledEvent">The occurrence.</param>
    /// <param name="context">The invocation's context.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>A task that completes when the function has run.</returns>
    public virtual ValueTask InvokeScheduleAsync(IServiceProvider services, ScheduledEvent scheduledEvent, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException($"Function '{context?.FunctionName}' is not a scheduled function.");

    /// <summary>Invokes a blob function with one event.</summary>
    /// <param name="services">The invocation's scoped services.</param>
    /// <param name="blobEvent">The event.</param>
    /// <param name="context">The invocation's context.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    public virtual ValueTask InvokeBlobAsync(IServiceProvider services, BlobEvent blobEvent, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException($"Function '{context?.FunctionName}' does not take blob events.");

    /// <summary>Direct invocation: the trigger's input as JSON in, the output as JSON out (null when the function has none).</summary>
    /// <param name="services">The invocation's scoped services.</param>
    /// <param name="input">The input JSON.</param>
    /// <param name="context">The invocation's context.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>The output JSON, or null.</returns>
    public abstract ValueTask<byte[]?> InvokeJsonAsync(IServiceProvider services, ReadOnlyMemory<byte> input, FunctionContext context, CancellationToken cancellationToken);
}
