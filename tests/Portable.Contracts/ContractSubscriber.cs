namespace Portable.Contracts;

/// <summary>A topic function, so that a notifier that delivers only to subscribers (the local one) has somewhere to deliver.</summary>
public sealed class ContractSubscriber : IMessageHandler<Notification>
{
    /// <inheritdoc />
    public Task HandleAsync(Notification message, FunctionContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
