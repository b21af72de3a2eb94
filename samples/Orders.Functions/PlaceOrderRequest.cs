namespace Orders;

/// <summary>The body of <c>POST /orders</c>.</summary>
public sealed record PlaceOrderRequest(string? CustomerId, IReadOnlyList<OrderItem>? Items);
