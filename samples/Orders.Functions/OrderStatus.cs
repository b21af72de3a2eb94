namespace Orders;

/// <summary>The states of an order.</summary>
public static class OrderStatus
{
    /// <summary>Accepted, confirmation pending.</summary>
    public const string Placed = "placed";

    /// <summary>The confirmation was published.</summary>
    public const string Confirmed = "confirmed";

    /// <summary>Never confirmed in time.</summary>
    public const string Expired = "expired";
}
