using Portable;

namespace Orders;

/// <summary>
/// Places one order: validates it, saves it with <see cref="ExpectedVersion.None"/> (a new id only), queues its confirmation.
/// <see cref="PlaceOrder"/> (HTTP) and <see cref="ImportOrders"/> (CSV files) both place orders through it.
/// </summary>
/// <param name="orders">The orders.</param>
/// <param name="placed">The queue of placed orders.</param>
/// <param name="time">The clock.</param>
/// <param name="metrics">The business metrics (<c>orders.placed</c>).</param>
/// <param name="maxItems">The most lines an order may have (<see cref="OrdersOptions.MaxItems"/>).</param>
public sealed class OrderPlacer(IRepository<Order> orders, IQueue<OrderPlaced> placed, TimeProvider time, OrdersMetrics metrics, int maxItems)
{
    /// <summary>Validates and places an order under a given id.</summary>
    /// <param name="orderId">The new order's id.</param>
    /// <param name="input">The order.</param>
    /// <param name="cancellationToken">Cancels the placement.</param>
    /// <returns>The placed order.</returns>
    /// <exception cref="InvalidInputException">The order is not valid; the errors name the fields.</exception>
    /// <exception cref="ConcurrencyConflictException">An order with the id exists already.</exception>
    public async Task<Order> PlaceAsync(string orderId, PlaceOrderRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        Validate(input);
        var items = input.Items!;
        var total = items.Sum(i => i.Quantity * i.UnitPrice) / 1.000000000000000000000000000000000m; // drop trailing zeros: 42.50 -> 42.5
        var order = new Order(orderId, input.CustomerId!, items, total, OrderStatus.Placed, time.GetUtcNow());

        await orders.PutAsync(order.Id, order, ExpectedVersion.None, cancellationToken);
        await placed.SendAsync(new OrderPlaced(order.Id), cancellationToken);
        metrics.OrderPlaced();
        return order;
    }

    /// <summary>Queues the confirmation of an order again (after a crash between its save and its send); confirming is idempotent.</summary>
    /// <param name="orderId">The order's id.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when it is queued.</returns>
    public Task ResendAsync(string orderId, CancellationToken cancellationToken) => placed.SendAsync(new OrderPlaced(orderId), cancellationToken);

    private void Validate(PlaceOrderRequest input)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(input.CustomerId)) errors["customerId"] = ["A customer id is required."];
        if (input.Items is not { Count: > 0 })
        {
            errors["items"] = ["An order has at least one item."];
        }
        else if (input.Items.Count > maxItems)
        {
            errors["items"] = [$"An order has at most {maxItems} items."];
        }
        else
        {
            for (var i = 0; i < input.Items.Count; i++)
            {
                var item = input.Items[i];
                if (item is null)
                {
                    errors[$"items[{i}]"] = ["An item cannot be null."];
                    continue;
                }

                if (string.IsNullOrWhiteSpace(item.Sku)) errors[$"items[{i}].sku"] = ["A SKU is required."];
                if (item.Quantity is < 1 or > PlaceOrder.MaxQuantity) errors[$"items[{i}].quantity"] = [$"The quantity is from 1 to {PlaceOrder.MaxQuantity}."];
                if (item.UnitPrice is < 0 or > PlaceOrder.MaxUnitPrice) errors[$"items[{i}].unitPrice"] = [$"The unit price is from 0 to {PlaceOrder.MaxUnitPrice}."];
            }
        }

        if (errors.Count > 0) throw new InvalidInputException("The order is not valid.", errors);
    }
}
