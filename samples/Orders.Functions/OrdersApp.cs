using Portable;

namespace Orders;

/// <summary>Wires the Orders functions; Program.cs and the tests call the same method.</summary>
public static class OrdersApp
{
    /// <summary>Declares the resources and maps the six functions.</summary>
    /// <param name="builder">The app builder.</param>
    public static void Configure(PortableAppBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AppName ??= "Orders";
        builder.AddJson(OrdersJson.Default);
        builder.Resources
            .AddRepository<Order>("orders")
            .AddRepository<AuditEntry>("audits")
            .AddQueue<OrderPlaced>("order-placed")
            .AddTopic(SendConfirmation.Topic);
        builder.Functions
            .MapHttp<PlaceOrder, PlaceOrderRequest, OrderView>("POST /orders", successStatusCode: 201).Sends<OrderPlaced>()
            .MapHttp<GetOrder>("GET /orders/{id}")
            .MapHttp<Hello>("GET /hello")
            .MapQueue<SendConfirmation, OrderPlaced>("order-placed")
            .MapSchedule<ExpireUnconfirmed>("*/5 * * * *")
            .MapTopic<AuditConfirmation, OrderConfirmed>(SendConfirmation.Topic);
    }
}
