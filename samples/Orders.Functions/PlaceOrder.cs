using Microsoft.Extensions.Options;
using Portable;

namespace Orders;

/// <summary><c>POST /orders</c>: validates and saves an order, then queues its confirmation (<see cref="OrderPlacer"/>).</summary>
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

    private readonly OrderPlacer _placer = new(orders, placed, time, metrics, options.Value.MaxItems);

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
        return OrderView.From(await _placer.PlaceAsync("o-" + Guid.NewGuid().ToString("N"), input, cancellationToken));
    }
}
