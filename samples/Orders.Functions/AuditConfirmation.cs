using Microsoft.Extensions.Logging;
using Portable;

namespace Orders;

/// <summary>Subscribes to <c>order-confirmations</c> and writes an audit line per confirmation.</summary>
public sealed class AuditConfirmation : IMessageHandler<OrderConfirmed>
{
    /// <inheritdoc />
    public Task HandleAsync(OrderConfirmed message, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        context.Logger.LogInformation("AUDIT order {OrderId} confirmed for customer {CustomerId}, total {Total}", message.OrderId, message.CustomerId, message.Total);
        return Task.CompletedTask;
    }
}
