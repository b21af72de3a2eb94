using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orders;
using Portable.Gcp.Auth;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>The Firestore repository and the Pub/Sub queue and notifier, against the in-test server that implements the documented REST behaviour.</summary>
public sealed class FirestoreAndPubSubTests
{
    private static readonly DateTimeOffset Placed = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Repository_WritesReadsAndVersions_WithUpdateTimePreconditions()
    {
        await using var google = await FakeGoogleApis.StartAsync();
        await using var services = Services(google);
        var orders = services.GetRequiredService<IRepository<Order>>();
        var order = new Order("o-1", "c-1", [new OrderItem("A", 2, 21.25m)], 42.5m, OrderStatus.Placed, Placed);

        var v1 = await orders.PutAsync("o-1", order, ExpectedVersion.None, default);
        var read = await orders.GetAsync("o-1", default);
        Assert.NotNull(read);
        Assert.Equal(v1, read.Version);
        Assert.Equal(42.5m, read.Value.Total);
        Assert.Equal(order.Items, read.Value.Items);
        Assert.Equal(Placed, read.Value.PlacedAt);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => orders.PutAsync("o-1", order, ExpectedVersion.None, default));
        var v2 = await orders.PutAsync("o-1", order with { Status = OrderStatus.Confirmed }, ExpectedVersion.Exactly(v1), default);
        Assert.NotEqual(v1, v2);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => orders.PutAsync("o-1", order, ExpectedVersion.Exactly(v1), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => orders.PutAsync("missing", order, ExpectedVersion.Exactly(v1), default));
        Assert.Equal(OrderStatus.Confirmed, (await orders.GetAsync("o-1", default))!.Value.Status);

        Assert.Contains(google.Requests, r => r.Contains("o-1?currentDocument.exists=false", StringComparison.Ordinal));
        Assert.Contains(google.Requests, r => r.Contains("o-1?currentDocument.updateTime=", StringComparison.Ordinal));
        Assert.All(google.Authorizations, a => Assert.Equal("Bearer owner", a));
    }

    [Fact]
    public async Task Repository_StoresFirestoreTypedValues()
    {
        await using var google = await FakeGoogleApis.StartAsync();
        await using var services = Services(google);
        var orders = services.GetRequiredService<IRepository<Order>>();
        await orders.PutAsync("o-2", new Order("o-2", "c-2", [new OrderItem("B", 3, 1.5m)], 4.5m, OrderStatus.Placed, Placed), ExpectedVersion.Any, default);

        var stored = google.Document("orders", "o-2")!.Value;
        Assert.Equal(JsonValueKind.String, stored.GetProperty("t").GetProperty("stringValue").ValueKind);
        var fields = stored.GetProperty("doc").GetProperty("mapValue").GetProperty("fields");
        Assert.Equal("c-2", fields.GetProperty("customerId").GetProperty("stringValue").GetString());
        Assert.Equal(4.5, fields.GetProperty("total").GetProperty("doubleValue").GetDouble());
        var item = fields.GetProperty("items").GetProperty("arrayValue").GetProperty("values")[0].GetProperty("mapValue").GetProperty("fields");
        Assert.Equal("3", item.GetProperty("quantity").GetProperty("integerValue").GetString());
        Assert.Equal(JsonValueKind.Null, fields.GetProperty("confirmedAt").GetProperty("nullValue").ValueKind);
    }

    [Fact]
    public async Task Repository_DeletesUnderPreconditions()
    {
        await using var google = await FakeGoogleApis.StartAsync();
        await using var services = Services(google);
        var orders = services.GetRequiredService<IRepository<Order>>();
        var order = new Order("o-3", "c", [], 0m, OrderStatus.Placed, Placed);
        var v1 = await orders.PutAsync("o-3", order, ExpectedVersion.None, default);
        var v2 = await orders.PutAsync("o-3", order, ExpectedVersion.Any, default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => orders.DeleteAsync("o-3", ExpectedVersion.Exactly(v1), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => orders.DeleteAsync("o-3", ExpectedVersion.None, default));
        Assert.True(await orders.DeleteAsync("o-3", ExpectedVersion.Exactly(v2), default));
        Assert.Null(await orders.GetAsync("o-3", default));
        Assert.False(await orders.DeleteAsync("o-3", ExpectedVersion.Any, default));
        Assert.False(await orders.DeleteAsync("o-3", ExpectedVersion.None, default));
    }

    [Fact]
    public async Task Repository_QueriesPageByPage_InIdOrder()
    {
        await using var google = await FakeGoogleApis.StartAsync();
        await using var services = Services(google);
        var orders = services.GetRequiredService<IRepository<Order>>();
        foreach (var id in new[] { "o-5", "o-1", "o-4", "o-2", "o-3" })
            await orders.PutAsync(id, new Order(id, "c", [], 1m, OrderStatus.Placed, Placed), ExpectedVersion.None, default);

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await orders.QueryAsync(new PageRequest(2, token), default);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(i => i.Id));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(["o-1", "o-2", "o-3", "o-4", "o-5"], seen);
        Assert.Equal(3, pages);
        Assert.Contains(google.Requests, r => r.Contains("orders?pageSize=2&orderBy=__name__&pageToken=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Queue_PublishesJsonToTheTopicOfTheQueueName()
    {
        await using var google = await FakeGoogleApis.StartAsync();
        await using var services = Services(google);
        var queue = services.GetRequiredService<IQueue<OrderPlaced>>();
        await queue.SendAsync(new OrderPlaced("o-9"), new SendOptions { DeduplicationId = "d-9" }, default);
        await queue.SendBatchAsync([new OrderPlaced("o-10"), new OrderPlaced("o-11")], null, default);

        var published = google.PublishedTo("order-placed");
        Assert.Equal(["""{"orderId":"o-9"}""", """{"orderId":"o-10"}""", """{"orderId":"o-11"}"""], published.Select(m => m.Text));
        Assert.Equal("d-9", published[0].Attributes["portable-deduplication-id"]);
        await Assert.ThrowsAsync<NotSupportedException>(() => queue.SendAsync(new OrderPlaced("o-12"), new SendOptions { Delay = TimeSpan.FromMinutes(1) }, default));
    }

    [Fact]
    public async Task Notifier_PublishesBodyAttributesAndSubject()
    {
        await using var google = await FakeGoogleApis.StartAsync();
        await using var services = Services(google);
        await services.GetRequiredService<INotifier>().PublishAsync(
            new Notification("order-confirmations", "{}") { Subject = "Order o-1 confirmed", Attributes = new Dictionary<string, string> { ["k"] = "v" } }, default);

        var message = Assert.Single(google.PublishedTo("order-confirmations"));
        Assert.Equal("{}", message.Text);
        Assert.Equal("Order o-1 confirmed", message.Attributes["portable-subject"]);
        Assert.Equal("v", message.Attributes["k"]);
    }

    [Fact]
    public async Task ApiError_SurfacesAsHttpRequestException_NamingTheDocument()
    {
        await using var google = await FakeGoogleApis.StartAsync();
        await using var services = Services(google, projectId: "someone-elses-project");
        var orders = services.GetRequiredService<IRepository<Order>>();
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => orders.PutAsync("o-1", new Order("o-1", "c", [], 0m, "placed", Placed), ExpectedVersion.Any, default));
        Assert.Contains("orders/o-1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_FromTheMetadataServer_AreCachedWithTheProjectId()
    {
        await using var google = await FakeGoogleApis.StartAsync();
        using var http = new HttpClient();
        var tokens = new GoogleAccessTokenSource(http, new GcpSettings { MetadataHost = google.HostAndPort }, TimeProvider.System);
        Assert.Equal("metadata-token", await tokens.GetTokenAsync(default));
        Assert.Equal("metadata-token", await tokens.GetTokenAsync(default));
        Assert.Equal("metadata-project", await tokens.GetProjectIdAsync(default));
        Assert.Single(google.Requests, r => r.EndsWith("/service-accounts/default/token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Credentials_FromAServiceAccountKey_AreASignedJwtBearerGrant()
    {
        await using var google = await FakeGoogleApis.StartAsync();
        using var key = RSA.Create(2048);
        google.ServiceAccountKey = key;
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "key-project",
            ["client_email"] = "runner@key-project.iam.gserviceaccount.com",
            ["private_key"] = key.ExportPkcs8PrivateKeyPem(),
            ["token_uri"] = $"http://{google.HostAndPort}/token",
        }));
        using var http = new HttpClient();
        var tokens = new GoogleAccessTokenSource(http, new GcpSettings { CredentialsFile = file, MetadataHost = "unused.invalid" }, TimeProvider.System);

        Assert.Equal("sa-token-for-runner@key-project.iam.gserviceaccount.com", await tokens.GetTokenAsync(default));
        Assert.Equal("key-project", await tokens.GetProjectIdAsync(default));
        File.Delete(file);
    }

    internal static ServiceProvider Services(FakeGoogleApis google, string projectId = "test-project", string database = "(default)")
    {
        var builder = PortableApp.CreateBuilder([]);
        OrdersApp.Configure(builder);
        var app = builder.Build();
        IServiceCollection services = new ServiceCollection();
        foreach (var descriptor in app.Services) services.Add(descriptor);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        GcpHost.AddGcpServices(services, app, new GcpSettings
        {
            ProjectId = projectId,
            FirestoreDatabase = database,
            FirestoreEmulatorHost = google.HostAndPort,
            PubSubEmulatorHost = google.HostAndPort,
        });
        return services.BuildServiceProvider();
    }
}
