namespace Orders;

/// <summary>The Orders settings, bound from the <c>Orders</c> section (<c>appsettings.json</c>, or <c>Orders__MaxItems</c> and <c>Orders__ReceiptUrlLifetime</c> in the environment).</summary>
public sealed class OrdersOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Orders";

    /// <summary>The most lines an order may have: 1 to <see cref="PlaceOrder.MaxItems"/> (the default), so no valid order can overflow its total.</summary>
    public int MaxItems { get; set; } = PlaceOrder.MaxItems;

    /// <summary>How long the receipt download URL of <c>GET /orders/{id}</c> is valid: 1 second to 7 days. Default 15 minutes.</summary>
    public TimeSpan ReceiptUrlLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Whether the settings are in range; checked when they are first read (<see cref="OrdersApp.Configure"/>).</summary>
    /// <returns>True when they are.</returns>
    public bool IsValid() => MaxItems is >= 1 and <= PlaceOrder.MaxItems
        && ReceiptUrlLifetime >= TimeSpan.FromSeconds(1) && ReceiptUrlLifetime <= Portable.Blobs.BlobSignedUrlOptions.MaxLifetime;
}
