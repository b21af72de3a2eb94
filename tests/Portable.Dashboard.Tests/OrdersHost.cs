using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Orders;
using Portable.Local;

namespace Portable.Dashboard.Tests;

/// <summary>
/// The real Orders sample on the local host, in process, with real Kestrel on a free loopback port (as the Local tests start
/// theirs): in-memory store, schedules fired by hand, quick retries so a rejected message reaches the dead letters at once.
/// </summary>
public sealed class OrdersHost : IAsyncDisposable
{
    private OrdersHost(WebApplication web, Uri address)
    {
        Web = web;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public WebApplication Web { get; }

    /// <summary>The host's root, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    public HttpClient Client { get; }

    public static async Task<OrdersHost> StartAsync(Action<LocalOptions>? options = null)
    {
        var builder = PortableApp.CreateBuilder([]);
        OrdersApp.Configure(builder);
        var host = LocalHost.Build(builder.Build(), configureOptions: o =>
        {
            o.Port = 0;
            o.InMemory = true;
            o.RunSchedules = false;
            o.MaxDeliveryAttempts = 2;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(100);
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            options?.Invoke(o);
        });
        await host.StartAsync();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OrdersHost(host, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Places a valid order through the admin API's direct invocation, as the dashboard's form does.</summary>
    public async Task<string> PlaceOrderAsync(string customer = "c-1")
    {
        using var response = await Client.PostAsync("_portable/functions/PlaceOrder/invoke",
            new StringContent($$"""{"customerId":"{{customer}}","items":[{"sku":"book","quantity":2,"unitPrice":21.25}]}""", System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("orderId").GetString()!;
    }

    /// <summary>Polls until <paramref name="condition"/> holds, or fails after <paramref name="seconds"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {seconds} s for {what}.");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Web.StopAsync();
        await Web.DisposeAsync();
    }
}
