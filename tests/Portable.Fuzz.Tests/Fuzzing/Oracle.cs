using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using Orders;

namespace Portable.Fuzz.Tests.Fuzzing;

/// <summary>
/// Tells whether a business payload is valid by the rules the product now holds, so that a clear refusal of anything else is the
/// right answer:
/// <list type="number">
/// <item>the bytes are UTF-8 everywhere (RFC 8259 §8.1), not only where the reader happens to look;</item>
/// <item>strict input reading, as <c>PortableJson.ForInput</c> does it: the sample's JSON options with nullable annotations respected
/// and every non-nullable constructor parameter without a default required, so a JSON null or a missing member for
/// <c>OrderItem.quantity</c>, <c>OrderConfirmed.total</c> or <c>OrderPlaced.orderId</c> (value types included) is malformed;</item>
/// <item>the sample's own ranges (<see cref="PlaceOrder"/>): a customer, 1 to <see cref="PlaceOrder.MaxItems"/> lines, a SKU,
/// quantity 1 to <see cref="PlaceOrder.MaxQuantity"/>, unit price 0 to <see cref="PlaceOrder.MaxUnitPrice"/>, every line checked;</item>
/// <item>the portable document-id rule (<c>PortRules.ValidateDocumentId</c>) for every field the sample uses as a repository id:
/// <c>OrderPlaced.orderId</c> (<c>SendConfirmation</c> reads the order by it) and <c>OrderConfirmed.orderId</c>
/// (<c>AuditConfirmation</c> writes the audit entry under it).</item>
/// </list>
/// </summary>
internal static class Oracle
{
    /// <summary>The sample's options made strict the way the product reads input (a copy of <c>PortableJson.ForInput</c>, which is internal).</summary>
    private static readonly JsonSerializerOptions Input = CreateInputOptions(OrdersJson.Default.Options);

    public static bool IsValidOrderRequest(ReadOnlySpan<byte> body)
    {
        var request = Read<PlaceOrderRequest>(body);
        if (request is null || string.IsNullOrWhiteSpace(request.CustomerId) || request.Items is not { Count: > 0 and <= PlaceOrder.MaxItems }) return false;
        foreach (var item in request.Items)
        {
            if (item is null || string.IsNullOrWhiteSpace(item.Sku)) return false;
            if (item.Quantity is < 1 or > PlaceOrder.MaxQuantity) return false;
            if (item.UnitPrice is < 0 or > PlaceOrder.MaxUnitPrice) return false;
        }

        return true;
    }

    public static bool IsValidOrderPlaced(ReadOnlySpan<byte> message)
        => Read<OrderPlaced>(message) is { OrderId: not null } placed && IsValidDocumentId(placed.OrderId);

    public static bool IsValidOrderConfirmed(ReadOnlySpan<byte> message)
        => Read<OrderConfirmed>(message) is { OrderId: not null, CustomerId: not null } confirmed && IsValidDocumentId(confirmed.OrderId);

    /// <summary>
    /// The portable document-id rule itself (<see cref="Portable.Hosting.PortRules.ValidateDocumentId"/>, public): 1 to 256 bytes in UTF-8,
    /// no lone surrogate, no control character (U+0000 to U+001F, U+007F to U+009F).
    /// </summary>
    public static bool IsValidDocumentId(string id)
    {
        try
        {
            Portable.Hosting.PortRules.ValidateDocumentId(id);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static JsonSerializerOptions CreateInputOptions(JsonSerializerOptions options)
    {
        var input = new JsonSerializerOptions(options) { RespectNullableAnnotations = true };
        input.TypeInfoResolver = options.TypeInfoResolver!.WithAddedModifier(static info =>
        {
            if (info.Kind != JsonTypeInfoKind.Object) return;
            foreach (var property in info.Properties)
            {
                if (property.AssociatedParameter is { HasDefaultValue: false, IsNullable: false }) property.IsRequired = true;
            }
        });
        input.MakeReadOnly();
        return input;
    }

    private static T? Read<T>(ReadOnlySpan<byte> json)
        where T : class
    {
        // Not UTF-8 anywhere (even in a member the reader would skip) is malformed, whatever the reader makes of it.
        if (!Utf8.IsValid(json)) return null;
        if (json.StartsWith("\uFEFF"u8)) json = json[3..];
        try
        {
            return JsonSerializer.Deserialize(json, (JsonTypeInfo<T>)Input.GetTypeInfo(typeof(T)));
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or OverflowException or FormatException)
        {
            return null;
        }
    }
}
