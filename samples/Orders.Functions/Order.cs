namespace Orders;

/// <summary>An order as stored.</summary>
public sealed record Order(string Id, string CustomerId, IReadOnlyList<OrderItem> Items, decimal Total, string Status, DateTimeOffset PlacedAt)
{
    /// <summary>When the confirmation was sent.</summary>
    public DateTimeOffset? ConfirmedAt { get; init; }
}
