namespace Orders;

/// <summary>An order as the API shows it.</summary>
public sealed record OrderView(string OrderId, string CustomerId, string Status, decimal Total, IReadOnlyList<OrderItem> Items, DateTimeOffset PlacedAt, DateTimeOffset? ConfirmedAt)
{
    /// <summary>A pre-signed URL (15 minutes) that downloads the order's receipt, once <see cref="SendConfirmation"/> has written it.</summary>
    public Uri? ReceiptUrl { get; init; }

    /// <summary>The view of a stored order.</summary>
    public static OrderView From(Order order) => new(order.Id, order.CustomerId, order.Status, order.Total, order.Items, order.PlacedAt, order.ConfirmedAt);
}
