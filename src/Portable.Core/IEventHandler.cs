namespace Portable;

/// <summary>Handles one event: a <see cref="CloudEvent"/> from storage or another platform source, or a <see cref="ScheduledEvent"/>.</summary>
/// <typeparam name="TEvent">The event type.</typeparam>
public interface IEventHandler<in TEvent>
{
    /// <summary>Handles one event.</summary>
    /// <param name="event">The event.</param>
    /// <param name="context">The invocation's context.</param>
    /// <param name="cancellationToken">Signalled when the platform's deadline nears or the host stops.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    Task HandleAsync(TEvent @event, FunctionContext context, CancellationToken cancellationToken);
}
