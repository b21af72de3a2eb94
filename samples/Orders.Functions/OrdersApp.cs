using Microsoft.Extensions.DependencyInjection;
using Portable;

namespace Orders;

/// <summary>Wires the Orders functions; Program.cs and the tests call the same method.</summary>
public static class OrdersApp
{
    /// <summary>Binds the Orders settings (validated when first read), registers its business metrics, declares the resources and maps the eight functions.</summary>
    /// <param name="builder">The app builder.</param>
    public static void Configure(PortableAppBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AppName ??= "Orders";
        builder.AddJson(OrdersJson.Default);
        builder.Services.AddOptions<OrdersOptions>()
            .Bind(builder.Configuration.GetSection(OrdersOptions.SectionName)) // the configuration binder's source generator: no reflection
            .Validate(o => o.IsValid(), $"Orders:MaxItems must be from 1 to {PlaceOrder.MaxItems}, Orders:ReceiptUrlLifetime from 00:00:01 to 7.00:00:00."); // checked when PlaceOrder first reads it
        // Not .ValidateOnStart(): it would stop the start on a bad setting, but resolving the options machinery at start costs every
        // function's Native AOT cold start about 3 ms (Hello's included), so the sample validates on first use (README, "Configuration").
        builder.Services.AddSingleton<OrdersMetrics>();
        builder.Resources
            .AddRepository<Order>("orders")
            .AddRepository<AuditEntry>("audits")
            .AddQueue<OrderPlaced>("order-placed")
            .AddTopic(SendConfirmation.Topic)
            .AddBucket(ImportOrders.Bucket)
            .AddBucket(SendConfirmation.ReceiptsBucket);
        builder.Functions
            .MapHttp<PlaceOrder, PlaceOrderRequest, OrderView>("POST /orders", successStatusCode: 201).Sends<OrderPlaced>()
            .MapHttp<GetOrder>("GET /orders/{id}")
            .MapHttp<ListOrders>("GET /orders")
            .MapBlob<ImportOrders>(ImportOrders.Bucket).Sends<OrderPlaced>()
            .MapHttp<Hello>("GET /hello").AllowAnonymous() // public once deployed; the order routes stay private (IAM, function key, invoker role)
            .MapQueue<SendConfirmation, OrderPlaced>("order-placed")
            .MapSchedule<ExpireUnconfirmed>("*/5 * * * *")
            .MapTopic<AuditConfirmation, OrderConfirmed>(SendConfirmation.Topic);
    }
}
