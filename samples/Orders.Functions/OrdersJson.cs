using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orders;

/// <summary>Source-generated JSON for every type the Orders functions read and write.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(OrderView))]
[JsonSerializable(typeof(OrderList))]
[JsonSerializable(typeof(PlaceOrderRequest))]
[JsonSerializable(typeof(OrderPlaced))]
[JsonSerializable(typeof(OrderConfirmed))]
[JsonSerializable(typeof(AuditEntry))]
public sealed partial class OrdersJson : JsonSerializerContext;
