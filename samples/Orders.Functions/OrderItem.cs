namespace Orders;

/// <summary>One line of an order.</summary>
public sealed record OrderItem(string Sku, int Quantity, decimal UnitPrice);
