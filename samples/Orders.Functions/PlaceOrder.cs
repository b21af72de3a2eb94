using Portable;

namespace Orders;

/// <summary><c>POST /orders</c>: validates and saves an order, then queues its confirmation.</summary>
public sealed class PlaceOrder(IRepository<Order> orders, IQueue<OrderPlaced> placed, TimeProvider time) : IFunction<PlaceOrderRequest, OrderView>
{
    /// <inheritdoc />
    public async Task<OrderView> HandleAsync(PlaceOrderRequest input, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        Validate(input);
        var items = input.Items!;
        var total = items.Sum(i => i.Quantity * i.UnitPrice) / 1.000000000000000000000000000000000m; // drop trailing zeros: 42.50 -> 42.5
        var order = new Order("o-" + Guid.NewGuid().ToString("N"), input.CustomerId!, items, total, OrderStatus.Placed, time.GetUtcNow());

        await orders.PutAsync(order.Id, order, ExpectedVersion.None, cancellationToken);
        await placed.SendAsync(new OrderPlaced(order.Id), cancellationToken);
        return OrderView.From(order);
    }

    private static void Validate(PlaceOrderRequest input)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(input.CustomerId)) errors["customerId"] = ["A customer id is required."];
        if (input.Items is not { Count: > 0 })
        {
            errors["items"] = ["An order has at least one item."];
        }
        else
        {
            for (var i = 0; i < input.Items.Count; i++)
            {
                var item = input.Items[i];
                if (item is null) errors[$"items[{i}]"] = ["An item cannot be null."];
                else if (string.IsNullOrWhiteSpace(item.Sku)) errors[$"items[{i}].sku"] = ["A SKU is required."];
                else if (item.Quantity < 1) errors[$"items[{i}].quantity"] = ["The quantity is at least 1."];
                else if (item.UnitPrice < 0) errors[$"items[{i}].unitPrice"] = ["The unit price cannot be negative."];
            }
        }

        if (errors.Count > 0) throw new InvalidInputException("The order is not valid.", errors);
    }
}
