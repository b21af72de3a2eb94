using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Portable;
using Portable.Testing;

namespace Orders.Tests;

public sealed class OrdersFlowTests
{
    private const string ValidOrder = """{"customerId":"c-1","items":[{"sku":"A","quantity":2,"unitPrice":21.25}]}""";

    [Fact]
    public async Task PostOrder_IsSavedQueuedConfirmedAndAudited_Once()
    {
        await using var host = await PortableTestHost.StartAsync(OrdersApp.Configure);
        using var client = host.CreateClient();

        var response = await client.PostAsync("/orders", new StringContent(ValidOrder, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var placed = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("placed", placed.GetProperty("status").GetString());
        Assert.Equal(42.5m, placed.GetProperty("total").GetDecimal());
        Assert.Contains("\"total\":42.5,", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var id = placed.GetProperty("orderId").GetString()!;

        await host.WaitForIdleAsync();

        var order = await client.GetFromJsonAsync<JsonElement>($"/orders/{id}");
        Assert.Equal("confirmed", order.GetProperty("status").GetString());
        var notification = Assert.Single(host.Notifications);
        Assert.Equal("order-confirmations", notification.Topic);
        Assert.Contains(id, notification.Body, StringComparison.Ordinal);
        Assert.Empty(host.DeadLetters());
    }

    [Fact]
    public async Task RedeliveredPlacedMessage_DoesNotNotifyTwice()
    {
        await using var host = await PortableTestHost.StartAsync(OrdersApp.Configure);
        using var client = host.CreateClient();
        var placed = await (await client.PostAsync("/orders", new StringContent(ValidOrder, Encoding.UTF8, "application/json"))).Content.ReadFromJsonAsync<JsonElement>();
        var id = placed.GetProperty("orderId").GetString()!;
        await host.WaitForIdleAsync();

        await host.SendAsync(new OrderPlaced(id));
        await host.InvokeAsync("SendConfirmation", $"{{\"orderId\":\"{id}\"}}");
        await host.WaitForIdleAsync();

        Assert.Single(host.Notifications);
    }

    [Theory]
    [InlineData("""{"items":[{"sku":"A","quantity":1,"unitPrice":1}]}""", "customerId")]
    [InlineData("""{"customerId":"c-1","items":[]}""", "items")]
    [InlineData("""{"customerId":"c-1","items":[{"sku":"A","quantity":"two","unitPrice":1}]}""", "items[0].quantity")]
    [InlineData("""{"customerId":"c-1",""", "$")]
    public async Task InvalidOrder_Answers400ProblemNamingTheField(string body, string field)
    {
        await using var host = await PortableTestHost.StartAsync(OrdersApp.Configure);
        using var client = host.CreateClient();
        var response = await client.PostAsync("/orders", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors has no '{field}': {problem}");
        Assert.Empty(host.QueueStats());
    }

    [Fact]
    public async Task UnknownOrder_Answers404_AndHelloGreets()
    {
        await using var host = await PortableTestHost.StartAsync(OrdersApp.Configure);
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/orders/o-missing")).StatusCode);
        Assert.Equal("Hello, Ada", await client.GetStringAsync("/hello?name=Ada"));
    }

    [Fact]
    public async Task ExpireUnconfirmed_ExpiresOnlyOldPlacedOrders()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var host = await PortableTestHost.StartAsync(b =>
        {
            b.TimeProvider = time;
            OrdersApp.Configure(b);
        });
        var orders = host.Repository<Order>();
        await orders.PutAsync("old", new Order("old", "c", [], 1m, OrderStatus.Placed, time.GetUtcNow().AddMinutes(-20)), ExpectedVersion.None, default);
        await orders.PutAsync("new", new Order("new", "c", [], 1m, OrderStatus.Placed, time.GetUtcNow().AddMinutes(-5)), ExpectedVersion.None, default);
        await orders.PutAsync("done", new Order("done", "c", [], 1m, OrderStatus.Confirmed, time.GetUtcNow().AddHours(-2)), ExpectedVersion.None, default);

        await host.FireScheduleAsync("ExpireUnconfirmed");

        Assert.Equal(OrderStatus.Expired, (await orders.GetAsync("old", default))!.Value.Status);
        Assert.Equal(OrderStatus.Placed, (await orders.GetAsync("new", default))!.Value.Status);
        Assert.Equal(OrderStatus.Confirmed, (await orders.GetAsync("done", default))!.Value.Status);
    }

    [Fact]
    public async Task Catalog_HasTheEightFunctionsEveryAdapterUses()
    {
        await using var host = await PortableTestHost.StartAsync(OrdersApp.Configure);
        Assert.Equal(
            ["PlaceOrder", "GetOrder", "ListOrders", "ImportOrders", "Hello", "SendConfirmation", "ExpireUnconfirmed", "AuditConfirmation"],
            host.App.Catalog.Functions.Select(f => f.Name));
        var json = host.App.Catalog.ToJson();
        Assert.Contains("\"kind\": \"schedule\"", json, StringComparison.Ordinal);
        Assert.Contains("\"cron\": \"*/5 * * * *\"", json, StringComparison.Ordinal);
    }
}
