namespace Orders;

/// <summary>The notification body on topic <c>order-confirmations</c>.</summary>
public sealed record OrderConfirmed(string OrderId, string CustomerId, decimal Total);
