using Microsoft.Extensions.Options;
using Portable;

namespace Orders;

/// <summary><c>POST /orders</c>: validates and saves an order, then queues its confirmation.</summary>
/// <remarks>
/// The ranges keep the total far inside <see cref="decimal"/>: at most <see cref="MaxItems"/> × <see cref="MaxQuantity"/> ×
/// <see cref="MaxUnitPrice"/> = 10^13, so no valid order can overflow it, and an out-of-range one is a 400 naming the field.
/// The setting <c>Orders:MaxItems</c> (<see cref="OrdersOptions"/>) may lower the number of lines.
/// </remarks>
/// <param name="orders">The orders.</param>
/// <param name="placed">The queue of placed orders.</param>
/// <param name="time">The clock.</param>
/// <param name="options">The Orders settings.</param>
/// <param name="metrics">The business metrics (<c>orders.placed</c>).</param>
public sealed class PlaceOrder(IRepository<Order> orders, IQueue<OrderPlaced> placed, TimeProvider time, IOptions<OrdersOptions> options, OrdersMetrics metrics)
    : IFunction<PlaceOrderRequest, OrderView>
{
    /// <summary>The most lines an order may have, and the default of <see cref="OrdersOptions.MaxItems"/>.</summary>
    public const int MaxItems = 1_000;

    private readonly int _maxItems = options.Value.MaxItems;

    /// <summary>Creates the function with the default settings, as a unit test does.</summary>
    /// <param name="orders">The orders.</param>
    /// <param name="placed">The queue of placed orders.</param>
    /// <param name="time">The clock.</param>
    public PlaceOrder(IRepository<Order> orders, IQueue<OrderPlaced> placed, TimeProvider time)
        : this(orders, placed, time, Options.Create(new OrdersOptions()), OrdersMetrics.Standalone())
    {
    }

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
        metrics.OrderPlaced();
        return OrderView.From(order);
    }

    private void Validate(PlaceOrderRequest input)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(input.CustomerId)) errors["customerId"] = ["A customer id is required."];
        if (input.Items is not { Count: > 0 })
        {
            errors["items"] = ["An order has at least one item."];
        }
        else if (input.Items.Count > _maxItems)
        {
            errors["items"] = [$"An order has at most {_maxItems} items."];
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
