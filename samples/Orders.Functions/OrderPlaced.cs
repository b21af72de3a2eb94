namespace Orders;

/// <summary>The message on queue <c>order-placed</c>.</summary>
public sealed record OrderPlaced(string OrderId);
