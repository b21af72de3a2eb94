namespace Orders;

/// <summary>An order as the API shows it.</summary>
public sealed record OrderView(string OrderId, string CustomerId, string Status, decimal Total, IReadOnlyList<OrderItem> Items, DateTimeOffset PlacedAt, DateTimeOffset? ConfirmedAt)
{
    /// <summary>The view of a stored order.</summary>
    public static OrderView From(Order order) => new(order.Id, order.CustomerId, order.Status, order.Total, order.Items, order.PlacedAt, order.ConfirmedAt);
}
