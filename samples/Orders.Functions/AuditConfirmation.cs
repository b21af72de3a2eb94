using Microsoft.Extensions.Logging;
using Portable;

namespace Orders;

/// <summary>
/// Subscribes to <c>order-confirmations</c>: records one audit entry per order and logs it. Delivery is at least once,
/// so the entry is created only if absent; a redelivery finds it and logs nothing new.
/// </summary>
public sealed class AuditConfirmation(IRepository<AuditEntry> audits, TimeProvider time) : IMessageHandler<OrderConfirmed>
{
    /// <inheritdoc />
    public async Task HandleAsync(OrderConfirmed message, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await audits.PutAsync(message.OrderId, new AuditEntry(message.OrderId, message.CustomerId, message.Total, time.GetUtcNow()), ExpectedVersion.None, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            context.Logger.LogInformation("Order {OrderId} was already audited; duplicate delivery ignored", message.OrderId);
            return;
        }

        context.Logger.LogInformation("AUDIT order {OrderId} confirmed for customer {CustomerId}, total {Total}", message.OrderId, message.CustomerId, message.Total);
    }
}
