using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Portable;
using Portable.Testing;

namespace Orders.Tests;

/// <summary>Bad input to the sample is the caller's error, on the local host as on every other (issue #11, items 2, 7 and 8).</summary>
public sealed class EdgeInputTests
{
    private static FunctionContext Context() => new("inv-1", "PlaceOrder", "test", Substitute.For<IServiceProvider>(), NullLogger.Instance);

    private static Task<OrderView> PlaceAsync(params OrderItem[] items)
        => new PlaceOrder(Substitute.For<IRepository<Order>>(), Substitute.For<IQueue<OrderPlaced>>(), TimeProvider.System)
            .HandleAsync(new PlaceOrderRequest("c-1", items), Context(), default);

    [Fact]
    public async Task PlaceOrder_QuantityAndPriceThatWouldOverflowTheTotal_NameBothFields()
    {
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => PlaceAsync(new OrderItem("A", int.MaxValue, decimal.MaxValue)));

        Assert.Equal(["items[0].quantity", "items[0].unitPrice"], error.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PlaceOrder_LinesWhoseSumWouldOverflow_AreRefusedByTheirRanges()
    {
        var line = new OrderItem("A", 2, decimal.MaxValue / 3);

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => PlaceAsync(line, line));

        Assert.Equal(["items[0].unitPrice", "items[1].unitPrice"], error.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0, 1, "items[0].quantity")]
    [InlineData(-5, 1, "items[0].quantity")]
    [InlineData(PlaceOrder.MaxQuantity + 1, 1, "items[0].quantity")]
    [InlineData(1, -0.01, "items[0].unitPrice")]
    public async Task PlaceOrder_OutOfRangeLine_NamesTheField(int quantity, double unitPrice, string field)
    {
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => PlaceAsync(new OrderItem("A", quantity, (decimal)unitPrice)));

        Assert.Equal(field, Assert.Single(error.Errors).Key);
    }

    [Fact]
    public async Task PlaceOrder_TooManyLines_NamesItems()
    {
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => PlaceAsync([.. Enumerable.Repeat(new OrderItem("A", 1, 1m), PlaceOrder.MaxItems + 1)]));

        Assert.Equal("items", Assert.Single(error.Errors).Key);
    }

    [Fact]
    public async Task PlaceOrder_LargestValidOrder_HasAnExactTotal()
    {
        var view = await PlaceAsync([.. Enumerable.Repeat(new OrderItem("A", PlaceOrder.MaxQuantity, PlaceOrder.MaxUnitPrice), PlaceOrder.MaxItems)]);

        Assert.Equal(10_000_000_000_000m, view.Total);
    }

    [Theory]
    [InlineData("""{"customerId":"c-1","items":[{"sku":"A","quantity":2147483647,"unitPrice":79228162514264337593543950335}]}""", "items[0].quantity")]
    [InlineData("""{"customerId":"c-1","items":[{"sku":"A","quantity":2,"unitPrice":50000000000000000000000000000}]}""", "items[0].unitPrice")]
    [InlineData("""{"customerId":"c-1","items":[{"sku":"A","quantity":1}]}""", "items[0].unitPrice")]
    [InlineData("""{"customerId":"c-1","items":[{"sku":null,"quantity":1,"unitPrice":1}]}""", "items[0].sku")]
    [InlineData("""{}""", "items")]
    public async Task PostOrders_OutOfRangeOrMissingValue_Answers400NamingTheField(string body, string field)
    {
        await using var host = await PortableTestHost.StartAsync(OrdersApp.Configure);
        using var client = host.CreateClient();

        var response = await client.PostAsync("/orders", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors has no '{field}': {problem}");
        Assert.Empty(host.QueueStats());
    }

    [Theory]
    [InlineData("{}", "orderId")]
    [InlineData("""{"orderId":null}""", "orderId")]
    public async Task UnreadableOrderPlaced_IsDeadLetteredAtOnce_WithOneDeadLetterLine_AndNoRetry(string body, string field)
    {
        await using var host = await PortableTestHost.StartAsync(OrdersApp.Configure);

        host.SendRaw("order-placed", body);
        await host.WaitForIdleAsync();

        var dead = Assert.Single(host.DeadLetters("order-placed"));
        Assert.Equal(1, dead.Attempts);
        Assert.Contains(field, dead.LastError, StringComparison.Ordinal);
        Assert.Single(host.Logs, l => l.Level >= LogLevel.Error && l.Message.Contains("dead-letter", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs, l => l.Message.Contains("retrying", StringComparison.Ordinal) || l.Exception is ArgumentException);
    }

    [Fact]
    public async Task UnreadableConfirmationOnTheTopic_IsDeadLetteredAtOnce()
    {
        await using var host = await PortableTestHost.StartAsync(OrdersApp.Configure);

        await host.Services.GetRequiredService<INotifier>().PublishAsync(new Notification(SendConfirmation.Topic, """{"orderId":"o-1"}"""), default);
        await host.WaitForIdleAsync();

        var dead = Assert.Single(host.DeadLetters());
        Assert.Equal(1, dead.Attempts);
        Assert.Contains("customerId", dead.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs, l => l.Message.Contains("retrying", StringComparison.Ordinal));
    }
}
