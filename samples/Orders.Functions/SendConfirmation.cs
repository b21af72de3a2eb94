using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable;
using Portable.Blobs;

namespace Orders;

/// <summary>
/// Consumes <c>order-placed</c>: writes the order's receipt to bucket <c>receipts</c>, publishes the confirmation on <c>order-confirmations</c>, then marks the order confirmed with a
/// version check. Idempotent: a redelivered message finds the order confirmed and does nothing, and a redelivery after a crash
/// between the publish and the update publishes with the same deduplication id, so subscribers hear of it once.
/// </summary>
/// <param name="orders">The orders.</param>
/// <param name="notifier">Publishes the confirmation.</param>
/// <param name="receipts">The bucket of receipts (a receipt written again on a redelivery is the same text).</param>
/// <param name="time">The clock.</param>
public sealed class SendConfirmation(IRepository<Order> orders, INotifier notifier, [FromKeyedServices(SendConfirmation.ReceiptsBucket)] IBlobStore receipts, TimeProvider time)
    : IMessageHandler<OrderPlaced>
{
    /// <summary>The bucket receipts are written to.</summary>
    public const string ReceiptsBucket = "receipts";

    /// <summary>The object name of an order's receipt.</summary>
    /// <param name="orderId">The order's id.</param>
    /// <returns>The name.</returns>
    public static string ReceiptName(string orderId) => $"{orderId}.txt";

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
        var receipt = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Receipt for order {order.Id}\nCustomer: {order.CustomerId}\n");
        foreach (var item in order.Items) receipt.Append(CultureInfo.InvariantCulture, $"{item.Quantity} x {item.Sku} at {item.UnitPrice}\n");
        receipt.Append(CultureInfo.InvariantCulture, $"Total: {order.Total}\n");
        using (var content = new MemoryStream(Encoding.UTF8.GetBytes(receipt.ToString())))
        {
            await receipts.PutAsync(ReceiptName(order.Id), content, new BlobPutOptions { ContentType = "text/plain; charset=utf-8" }, cancellationToken);
        }

        var body = JsonSerializer.Serialize(new OrderConfirmed(order.Id, order.CustomerId, order.Total), OrdersJson.Default.OrderConfirmed);
        await notifier.PublishAsync(
            new Notification(Topic, body) { Subject = $"Order {order.Id} confirmed", DeduplicationId = $"order-confirmed-{order.Id}" },
            cancellationToken);

        // A concurrent writer makes this throw; the message is retried and then finds the order's new state.
        await orders.PutAsync(order.Id, order with { Status = OrderStatus.Confirmed, ConfirmedAt = time.GetUtcNow() }, ExpectedVersion.Exactly(stored.Version), cancellationToken);
    }
}
