using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Orders;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>
/// The Orders app as Cloud Run functions, one service per function on real Kestrel, wired the way Pub/Sub push would wire them:
/// what one function publishes is pushed (as a push envelope) to the next. Firestore and Pub/Sub are the in-test server.
/// </summary>
public sealed class OrdersFlowTests
{
    [Fact]
    public async Task PlacedOrder_IsConfirmedAndAudited_ThroughPushEnvelopes_AndRedeliveriesChangeNothing()
    {
        await using var google = await FakeGoogleApis.StartAsync();
        await using var storage = await FakeCloudStorage.StartAsync();
        await using var place = await GcpAppHost.StartAsync(OrdersApp.Configure, "PlaceOrder", google, storage: storage);
        await using var confirm = await GcpAppHost.StartAsync(OrdersApp.Configure, "SendConfirmation", google, storage: storage);
        await using var audit = await GcpAppHost.StartAsync(OrdersApp.Configure, "AuditConfirmation", google, storage: storage);
        await using var get = await GcpAppHost.StartAsync(OrdersApp.Configure, "GetOrder", google, storage: storage);

        var placed = await place.Client.PostAsync("/orders", new StringContent("""{"customerId":"c-1","items":[{"sku":"A","quantity":2,"unitPrice":21.25}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var orderId = JsonDocument.Parse(await placed.Content.ReadAsStringAsync()).RootElement.GetProperty("orderId").GetString()!;

        var placedMessage = Assert.Single(google.PublishedTo("order-placed"));
        Assert.Equal(HttpStatusCode.NoContent, (await PushDelivery.PushAsync(confirm.Client, placedMessage)).StatusCode);
        var confirmation = Assert.Single(google.PublishedTo("order-confirmations"));
        Assert.Equal($"Order {orderId} confirmed", confirmation.Attributes["portable-subject"]);
        Assert.Equal(HttpStatusCode.NoContent, (await PushDelivery.PushAsync(audit.Client, confirmation)).StatusCode);

        var view = JsonDocument.Parse(await get.Client.GetStringAsync($"/orders/{orderId}")).RootElement;
        Assert.Equal("confirmed", view.GetProperty("status").GetString());
        Assert.Equal(42.5m, view.GetProperty("total").GetDecimal());
        Assert.NotNull(google.Document("audits", orderId));

        // At-least-once delivery: both pushes again.
        Assert.Equal(HttpStatusCode.NoContent, (await PushDelivery.PushAsync(confirm.Client, placedMessage)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await PushDelivery.PushAsync(audit.Client, confirmation)).StatusCode);
        Assert.Single(google.PublishedTo("order-confirmations"));

        Assert.Equal(HttpStatusCode.NotFound, (await get.Client.GetAsync("/orders/o-nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await get.Client.GetAsync("/elsewhere")).StatusCode);
    }

    [Fact]
    public async Task InvalidOrder_Answers400_AndNothingIsStoredOrPublished()
    {
        await using var google = await FakeGoogleApis.StartAsync();
        await using var storage = await FakeCloudStorage.StartAsync();
        await using var place = await GcpAppHost.StartAsync(OrdersApp.Configure, "PlaceOrder", google, storage: storage);
        var response = await place.Client.PostAsync("/orders", new StringContent("""{"customerId":"","items":[]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(google.Published);
        Assert.DoesNotContain(google.Requests, r => r.StartsWith("PATCH", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MessageForAnOrderNotYetStored_Answers500Crash_SoPubSubRetries()
    {
        await using var google = await FakeGoogleApis.StartAsync();
        await using var storage = await FakeCloudStorage.StartAsync();
        await using var confirm = await GcpAppHost.StartAsync(OrdersApp.Configure, "SendConfirmation", google, storage: storage);
        var response = await PushDelivery.PushAsync(confirm.Client, new PublishedMessage("order-placed", "77", Encoding.UTF8.GetBytes("""{"orderId":"o-missing"}"""), new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("crash", Assert.Single(response.Headers.GetValues("X-Google-Status")));
    }

    [Fact]
    public async Task CloudScheduler_ExpiresOrdersLeftUnconfirmed()
    {
        await using var google = await FakeGoogleApis.StartAsync();
        await using var storage = await FakeCloudStorage.StartAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        await using var place = await GcpAppHost.StartAsync(OrdersApp.Configure, "PlaceOrder", google, clock, storage);
        await using var expire = await GcpAppHost.StartAsync(OrdersApp.Configure, "ExpireUnconfirmed", google, clock, storage);
        await using var get = await GcpAppHost.StartAsync(OrdersApp.Configure, "GetOrder", google, clock, storage);
        var placed = await place.Client.PostAsync("/orders", new StringContent("""{"customerId":"c-2","items":[{"sku":"B","quantity":1,"unitPrice":5}]}""", Encoding.UTF8, "application/json"));
        var orderId = JsonDocument.Parse(await placed.Content.ReadAsStringAsync()).RootElement.GetProperty("orderId").GetString()!;

        clock.Advance(TimeSpan.FromMinutes(20));
        var tick = new HttpRequestMessage(HttpMethod.Post, "/");
        tick.Headers.Add("X-CloudScheduler", "true");
        tick.Headers.Add("X-CloudScheduler-ScheduleTime", "2026-03-01T09:20:00Z");
        Assert.Equal(HttpStatusCode.NoContent, (await expire.Client.SendAsync(tick)).StatusCode);

        var view = JsonDocument.Parse(await get.Client.GetStringAsync($"/orders/{orderId}")).RootElement;
        Assert.Equal("expired", view.GetProperty("status").GetString());
    }
}
