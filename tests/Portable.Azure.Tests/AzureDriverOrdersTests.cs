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
}
