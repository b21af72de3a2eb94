using System.Text.Json;
using Orders;

namespace Portable.Fuzz.Tests.Fuzzing;

/// <summary>
/// Tells whether a business payload is valid, the sample's way: readable with the sample's JSON context, non-nullable members
/// present, and the sample's own rules (a customer, at least one item, a SKU, quantity ≥ 1, unit price ≥ 0, a total that fits in a
/// decimal). The hosts are expected to accept exactly these and refuse the rest clearly.
/// </summary>
internal static class Oracle
{
    public static bool IsValidOrderRequest(ReadOnlySpan<byte> body)
    {
        var request = Read(body, OrdersJson.Default.PlaceOrderRequest);
        if (request is null || string.IsNullOrWhiteSpace(request.CustomerId) || request.Items is not { Count: > 0 }) return false;
        var total = 0m;
        foreach (var item in request.Items)
        {
            if (item is null || string.IsNullOrWhiteSpace(item.Sku) || item.Quantity < 1 || item.UnitPrice < 0) return false;
            try
            {
                total = checked(total + (item.Quantity * item.UnitPrice));
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsValidOrderPlaced(ReadOnlySpan<byte> message) => Read(message, OrdersJson.Default.OrderPlaced) is { OrderId: not null };

    public static bool IsValidOrderConfirmed(ReadOnlySpan<byte> message)
        => Read(message, OrdersJson.Default.OrderConfirmed) is { OrderId: not null, CustomerId: not null };

    private static T? Read<T>(ReadOnlySpan<byte> json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        if (json.StartsWith("\uFEFF"u8)) json = json[3..];
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or OverflowException or FormatException)
        {
            return null;
        }
    }
}
