namespace Orders;

/// <summary>One page of a customer's orders (<c>GET /orders?customerId=…</c>).</summary>
/// <param name="Orders">The orders found.</param>
/// <param name="NextPageToken">Pass it as <c>pageToken</c> for more; null when every order was looked at.</param>
public sealed record OrderList(IReadOnlyList<OrderView> Orders, string? NextPageToken);
