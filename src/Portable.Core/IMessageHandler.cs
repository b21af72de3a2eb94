namespace Portable;

/// <summary>
/// Handles one message taken from a queue or delivered on a topic. The platform adapter does the
/// batching, partial-batch failure, retries and dead-lettering: throw to have the message retried.
/// </summary>
/// <typeparam name="TMessage">The message type, deserialized with the app's JSON contexts.</typeparam>
public interface IMessageHandler<in TMessage>
{
    /// <summary>Handles one message. Delivery is at least once: make the handler idempotent.</summary>
    /// <param name="message">The deserialized message.</param>
    /// <param name="context">The invocation's context; <see cref="FunctionContext.DeliveryAttempt"/> counts redeliveries.</param>
    /// <param name="cancellationToken">Signalled when the platform's deadline nears or the host stops.</param>
    /// <returns>A task that completes when the message is handled; a fault sends it back for retry.</returns>
    Task HandleAsync(TMessage message, FunctionContext context, CancellationToken cancellationToken);
}
