using System.Text.Json;
using Orders;
using Portable.Testing;

namespace Portable.Azure.Tests;

/// <summary>The Portable.Testing Azure driver with the Orders app in memory.</summary>
public sealed class AzureDriverOrdersTests
{
    [Fact]
    public async Task QueueTriggerPayload_ThroughTheDriver_ConfirmsTheOrderAndNotifies()
    {
        await using var host = await PortableTestHost.StartAsync(OrdersApp.Configure);
        var order = new Order("o-driver", "c-9", [new OrderItem("A", 1, 5m)], 5m, OrderStatus.Placed, DateTimeOffset.UtcNow);
        await host.Repository<Order>().PutAsync(order.Id, order, ExpectedVersion.None, default);

        var result = await host.Azure().InvokeAsync("SendConfirmation", AzureTestDriver.QueuePayload("""{"orderId":"o-driver"}""", dequeueCount: 1), "inv-driver");

        Assert.True(result.Succeeded, result.Json);
        Assert.Equal(JsonValueKind.Object, result.Outputs.ValueKind);
        Assert.Equal(JsonValueKind.Null, result.ReturnValue.ValueKind);
        Assert.Equal(OrderStatus.Confirmed, (await host.Repository<Order>().GetAsync("o-driver", default))!.Value.Status);
        Assert.Contains("o-driver", Assert.Single(host.Notifications).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlaceOrderPayload_ThroughTheDriver_AnswersTheOrderPlacedAsAQueueOutput_InsteadOfQueueingIt()
    {
        await using var host = await PortableTestHost.StartAsync(OrdersApp.Configure);
        var payload = AzureTestDriver.HttpPayload("POST", "https://orders.azurewebsites.net/orders", """{"customerId":"c-7","items":[{"sku":"A","quantity":1,"unitPrice":5}]}""");

        var placed = await host.Azure().InvokeAsync("PlaceOrder", payload, "inv-place");

        Assert.True(placed.Succeeded, placed.Json);
        var res = placed.Outputs.GetProperty("res");
        Assert.Equal("201", res.GetProperty("statusCode").GetString());
        var id = JsonDocument.Parse(res.GetProperty("body").GetString()!).RootElement.GetProperty("orderId").GetString();
        var message = Assert.Single(placed.QueueMessages("order-placed"));
        Assert.Equal($$"""{"orderId":"{{id}}"}""", message);
        Assert.Empty(placed.QueueMessages("somewhere-else"));
        await host.WaitForIdleAsync();
        Assert.Empty(host.Notifications); // nothing reached the in-memory queue, so SendConfirmation did not run

        // The host writes the output; its queue trigger then hands the message to SendConfirmation.
        var confirmed = await host.Azure().InvokeAsync("SendConfirmation", AzureTestDriver.QueuePayload(message));
        Assert.True(confirmed.Succeeded, confirmed.Json);
        Assert.Single(host.Notifications);
        Assert.Equal(OrderStatus.Confirmed, (await host.Repository<Order>().GetAsync(id!, default))!.Value.Status);
    }

    [Fact]
    public async Task PlaceOrderThroughTheLocalRoute_StillQueuesInMemory()
    {
        await using var host = await PortableTestHost.StartAsync(OrdersApp.Configure);

        var response = await host.CreateClient().PostAsync("/orders", new StringContent("""{"customerId":"c-8","items":[{"sku":"A","quantity":1,"unitPrice":5}]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        await host.WaitForIdleAsync();
        Assert.Single(host.Notifications); // SendConfirmation ran from the in-memory queue
    }
}
