using Portable;

namespace Orders;

/// <summary><c>POST /orders</c>: validates and saves an order, then queues its confirmation.</summary>
/// <remarks>
/// The ranges keep the total far inside <see cref="decimal"/>: at most <see cref="MaxItems"/> × <see cref="MaxQuantity"/> ×
/// <see cref="MaxUnitPrice"/> = 10^13, so no valid order can overflow it, and an out-of-range one is a 400 naming the field.
/// </remarks>
public sealed class PlaceOrder(IRepository<Order> orders, IQueue<OrderPlaced> placed, TimeProvider time) : IFunction<PlaceOrderRequest, OrderView>
{
    /// <summary>The most lines an order may have.</summary>
    public const int MaxItems = 1_000;

    /// <summary>The largest quantity of one line.</summary>
    public const int MaxQuantity = 10_000;

    /// <summary>The largest unit price.</summary>
    public const decimal MaxUnitPrice = 1_000_000m;

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
        else if (input.Items.Count > MaxItems)
        {
            errors["items"] = [$"An order has at most {MaxItems} items."];
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
                if (item.Quantity is < 1 or > MaxQuantity) errors[$"items[{i}].quantity"] = [$"The quantity is from 1 to {MaxQuantity}."];
                if (item.UnitPrice is < 0 or > MaxUnitPrice) errors[$"items[{i}].unitPrice"] = [$"The unit price is from 0 to {MaxUnitPrice}."];
            }
        }

        if (errors.Count > 0) throw new InvalidInputException("The order is not valid.", errors);
    }
}
