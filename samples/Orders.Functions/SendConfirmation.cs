using System.Text.Json;
using Microsoft.Extensions.Logging;
using Portable;

namespace Orders;

/// <summary>
/// Consumes <c>order-placed</c>: publishes the confirmation on <c>order-confirmations</c>, then marks the order confirmed with a
/// version check. Idempotent: a redelivered message finds the order confirmed and does nothing, and a redelivery after a crash
/// between the publish and the update publishes with the same deduplication id, so subscribers hear of it once.
/// </summary>
public sealed class SendConfirmation(IRepository<Order> orders, INotifier notifier, TimeProvider time) : IMessageHandler<OrderPlaced>
{
    /// <summary>The topic confirmations are published on.</summary>
    public const string Topic = "order-confirmations";

    /// <inheritdoc />
    public async Task HandleAsync(OrderPlaced message, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        var stored = await orders.GetAsync(message.OrderId, cancellationToken)
            ?? throw new InvalidOperationException($"Order {message.OrderId} is not stored (yet); the message will be retried.");
        if (stored.Value.Status != OrderStatus.Placed)
        {
            context.Logger.LogInformation("Order {OrderId} is already {Status}; nothing to do", message.OrderId, stored.Value.Status);
            return;
        }

        var order = stored.Value;
        var body = JsonSerializer.Serialize(new OrderConfirmed(order.Id, order.CustomerId, order.Total), OrdersJson.Default.OrderConfirmed);
        await notifier.PublishAsync(
            new Notification(Topic, body) { Subject = $"Order {order.Id} confirmed", DeduplicationId = $"order-confirmed-{order.Id}" },
            cancellationToken);

        // A concurrent writer makes this throw; the message is retried and then finds the order's new state.
        await orders.PutAsync(order.Id, order with { Status = OrderStatus.Confirmed, ConfirmedAt = time.GetUtcNow() }, ExpectedVersion.Exactly(stored.Version), cancellationToken);
    }
}
