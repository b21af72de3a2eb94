using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Portable;
using Portable.Blobs;

namespace Orders.Tests;

public sealed class OrderFunctionTests
{
    private static FunctionContext Context(int attempt = 1)
        => new("inv-1", "Test", "test", Substitute.For<IServiceProvider>(), NullLogger.Instance, deliveryAttempt: attempt);

    [Fact]
    public async Task PlaceOrder_ValidOrder_SavesThenQueuesConfirmationOnce()
    {
        var orders = Substitute.For<IRepository<Order>>();
        var queue = Substitute.For<IQueue<OrderPlaced>>();
        var view = await new PlaceOrder(orders, queue, TimeProvider.System)
            .HandleAsync(new PlaceOrderRequest("c-1", [new OrderItem("A", 2, 21.25m)]), Context(), default);

        Assert.Equal("placed", view.Status);
        Assert.Equal("42.5", view.Total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await orders.Received(1).PutAsync(view.OrderId, Arg.Is<Order>(o => o.CustomerId == "c-1"), ExpectedVersion.None, Arg.Any<CancellationToken>());
        await queue.Received(1).SendAsync(new OrderPlaced(view.OrderId), null, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task PlaceOrder_InvalidOrder_NamesEveryBadField_AndSavesNothing()
    {
        var orders = Substitute.For<IRepository<Order>>();
        var queue = Substitute.For<IQueue<OrderPlaced>>();
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => new PlaceOrder(orders, queue, TimeProvider.System)
            .HandleAsync(new PlaceOrderRequest(" ", [new OrderItem("A", 0, 1m), new OrderItem("", 1, 1m)]), Context(), default));

        Assert.Equal(["customerId", "items[0].quantity", "items[1].sku"], error.Errors.Keys.Order());
        await orders.DidNotReceiveWithAnyArgs().PutAsync(default!, default!, default, default);
        await queue.DidNotReceiveWithAnyArgs().SendAsync(default!, default, default);
    }

    [Fact]
    public async Task SendConfirmation_PlacedOrder_PublishesWithDeduplicationId_ThenConfirmsWithVersionCheck()
    {
        var orders = Substitute.For<IRepository<Order>>();
        var notifier = Substitute.For<INotifier>();
        var order = new Order("o-1", "c-1", [new OrderItem("A", 1, 5m)], 5m, OrderStatus.Placed, DateTimeOffset.UnixEpoch);
        orders.GetAsync("o-1", Arg.Any<CancellationToken>()).Returns(new Stored<Order>("o-1", order, "7"));

        await new SendConfirmation(orders, notifier, Substitute.For<IBlobStore>(), TimeProvider.System).HandleAsync(new OrderPlaced("o-1"), Context(), default);

        await notifier.Received(1).PublishAsync(
            Arg.Is<Notification>(n => n.Topic == "order-confirmations" && n.DeduplicationId == "order-confirmed-o-1" && n.Body.Contains("\"orderId\":\"o-1\"")),
            Arg.Any<CancellationToken>());
        await orders.Received(1).PutAsync("o-1", Arg.Is<Order>(o => o.Status == OrderStatus.Confirmed), ExpectedVersion.Exactly("7"), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task SendConfirmation_AlreadyConfirmed_DoesNotNotifyAgain()
    {
        var orders = Substitute.For<IRepository<Order>>();
        var notifier = Substitute.For<INotifier>();
        var order = new Order("o-1", "c-1", [], 0m, OrderStatus.Confirmed, DateTimeOffset.UnixEpoch);
        orders.GetAsync("o-1", Arg.Any<CancellationToken>()).Returns(new Stored<Order>("o-1", order, "8"));

        await new SendConfirmation(orders, notifier, Substitute.For<IBlobStore>(), TimeProvider.System).HandleAsync(new OrderPlaced("o-1"), Context(attempt: 2), default);

        await notifier.DidNotReceiveWithAnyArgs().PublishAsync(default!, default);
        await orders.DidNotReceiveWithAnyArgs().PutAsync(default!, default!, default, default);
    }

    [Fact]
    public async Task SendConfirmation_UnknownOrder_Throws_SoTheMessageIsRetried()
    {
        var orders = Substitute.For<IRepository<Order>>();
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new SendConfirmation(orders, Substitute.For<INotifier>(), Substitute.For<IBlobStore>(), TimeProvider.System).HandleAsync(new OrderPlaced("o-x"), Context(), default));
    }

    [Fact]
    public async Task Hello_Name_Greets()
    {
        var request = new HttpRequestData("GET", "/hello");
        request.Query.Add("name", "Ada");
        var response = await new Hello().HandleAsync(request, Context(), default);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("Hello, Ada", System.Text.Encoding.UTF8.GetString(response.Body.Span));
    }
}
