using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using Portable;
using Portable.Hosting;

namespace Orders.Tests;

/// <summary>The sample's one setting, <c>Orders:MaxItems</c>: bound from configuration, range-checked when first read, used by PlaceOrder.</summary>
public sealed class OrdersOptionsTests
{
    private static ServiceProvider Services(params string[] args)
    {
        var builder = PortableApp.CreateBuilder(args);
        OrdersApp.Configure(builder);
        var services = builder.Build().Services;
        services.AddSingleton(Substitute.For<IRepository<Order>>());
        services.AddSingleton(Substitute.For<IQueue<OrderPlaced>>());
        services.AddMetrics(); // every host registers IMeterFactory (OrdersMetrics needs it)
        return services.BuildServiceProvider();
    }

    private static FunctionContext Context(IServiceProvider services) => new("inv-1", "PlaceOrder", "test", services, NullLogger.Instance);

    [Fact]
    public void MaxItems_Unset_IsTheThousandLinesTheSampleAlwaysAllowed()
    {
        using var services = Services();

        StartupValidation.Validate(services);
        Assert.Equal(PlaceOrder.MaxItems, services.GetRequiredService<IOptions<OrdersOptions>>().Value.MaxItems);
    }

    [Fact]
    public async Task MaxItems_FromConfiguration_LimitsTheLinesPlaceOrderAccepts()
    {
        using var services = Services("--Orders:MaxItems=2");
        using var scope = services.CreateScope();
        var function = scope.ServiceProvider.GetRequiredService<PlaceOrder>();
        var items = Enumerable.Repeat(new OrderItem("A", 1, 1m), 3).ToList();

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => function.HandleAsync(new PlaceOrderRequest("c-1", items), Context(scope.ServiceProvider), default));

        Assert.Equal(["An order has at most 2 items."], error.Errors["items"]);
        Assert.NotNull(await function.HandleAsync(new PlaceOrderRequest("c-1", items[..2]), Context(scope.ServiceProvider), default));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    public void MaxItems_OutOfRange_FailsPlaceOrderNamingTheSetting_NotTheStart(string value)
    {
        using var services = Services($"--Orders:MaxItems={value}");
        StartupValidation.Validate(services); // not registered with ValidateOnStart: the start goes on (Hello and the others serve)
        using var scope = services.CreateScope();

        var error = Assert.Throws<OptionsValidationException>(() => scope.ServiceProvider.GetRequiredService<PlaceOrder>());

        Assert.Equal(typeof(OrdersOptions), error.OptionsType);
        Assert.Contains("Orders:MaxItems must be from 1 to 1000", error.Message, StringComparison.Ordinal);
    }
}
