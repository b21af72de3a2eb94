using System.Text.Json;
using Portable.Core.Tests.Fixtures;
using Portable.Hosting;

namespace Portable.Core.Tests;

public sealed class FunctionCatalogTests
{
    private static PortableApp SampleApp() => TestApp.Build(b =>
    {
        b.Functions
            .MapHttp<GreetFunction, Greeting, GreetingReply>("POST /greet", 201, "greet")
            .MapQueue<OrderPlacedHandler, OrderPlaced>("orders-placed", "on-order-placed")
            .MapTopic<NotificationHandler, Notification>("alerts", "on-alert")
            .MapSchedule<TickHandler>("*/5 * * * *", "tick");
        b.Resources
            .AddRepository<Order>("orders")
            .AddQueue<Invoice>("invoices")
            .AddTopic("shipments")
            .AddTopic("alerts");
    });

    [Fact]
    public void ToJson_ListsAppAndFunctionNamesInRegistrationOrder()
    {
        using var json = JsonDocument.Parse(SampleApp().Catalog.ToJson());
        var root = json.RootElement;

        Assert.Equal(TestApp.Name, root.GetProperty("app").GetString());
        var functions = root.GetProperty("functions").EnumerateArray();
        Assert.Equal(["greet", "on-order-placed", "on-alert", "tick"], functions.Select(f => f.GetProperty("name").GetString()));
    }

    [Fact]
    public void ToJson_WritesLowerCaseTriggerKindsAndEachTriggersParameters()
    {
        using var json = JsonDocument.Parse(SampleApp().Catalog.ToJson());
        var triggers = json.RootElement.GetProperty("functions").EnumerateArray().Select(f => f.GetProperty("trigger")).ToList();

        Assert.Equal("orders-placed", triggers[1].GetProperty("name").GetString());
        Assert.Equal("alerts", triggers[2].GetProperty("name").GetString());
        Assert.Equal("*/5 * * * *", triggers[3].GetProperty("cron").GetString());
        Assert.Equal(["http", "queue", "topic", "schedule"], triggers.Select(t => t.GetProperty("kind").GetString()));
    }

    [Fact]
    public void ToDocument_DescribesTriggerKinds()
    {
        var document = SampleApp().Catalog.ToDocument();

        Assert.Equal([TriggerKind.Http, TriggerKind.Queue, TriggerKind.Topic, TriggerKind.Schedule], document.Functions.Select(f => f.Trigger.Kind));
    }

    [Fact]
    public void ToJson_WritesTriggerParametersAndTypes()
    {
        using var json = JsonDocument.Parse(SampleApp().Catalog.ToJson());
        var greet = json.RootElement.GetProperty("functions")[0];

        Assert.Equal("POST", greet.GetProperty("trigger").GetProperty("method").GetString());
        Assert.Equal("/greet", greet.GetProperty("trigger").GetProperty("route").GetString());
        Assert.False(greet.GetProperty("trigger").TryGetProperty("cron", out _));
        Assert.Equal(nameof(Greeting), greet.GetProperty("input").GetString());
        Assert.Equal(nameof(GreetingReply), greet.GetProperty("output").GetString());
        Assert.Equal(nameof(GreetFunction), greet.GetProperty("handler").GetString());
    }

    [Fact]
    public void ToJson_ListsDeclaredAndConsumedQueuesRepositoriesAndTopics()
    {
        using var json = JsonDocument.Parse(SampleApp().Catalog.ToJson());
        var root = json.RootElement;

        var repositories = root.GetProperty("repositories").EnumerateArray().Select(r => (r.GetProperty("name").GetString(), r.GetProperty("type").GetString()));
        Assert.Equal([("orders", nameof(Order))], repositories);
        var queues = root.GetProperty("queues").EnumerateArray().Select(q => (q.GetProperty("name").GetString(), q.GetProperty("type").GetString()));
        Assert.Equal([("invoices", nameof(Invoice)), ("orders-placed", nameof(OrderPlaced))], queues);
        var topics = root.GetProperty("topics").EnumerateArray().Select(t => t.GetProperty("name").GetString());
        Assert.Equal(["shipments", "alerts"], topics);
    }

    [Fact]
    public void Queues_QueueBothDeclaredAndConsumed_IsListedOnce()
    {
        var app = TestApp.Build(b =>
        {
            b.Resources.AddQueue<OrderPlaced>("orders-placed");
            b.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders-placed");
        });

        var queue = Assert.Single(app.Catalog.Queues);
        Assert.Equal("orders-placed", queue.Name);
    }

    [Fact]
    public void SubscribersOf_ReturnsOnlyThatTopicsFunctions()
    {
        var app = SampleApp();

        Assert.Equal(["on-alert"], app.Catalog.SubscribersOf("alerts").Select(f => f.Name));
        Assert.Empty(app.Catalog.SubscribersOf("shipments"));
    }

    [Fact]
    public void GetRepository_DeclaredType_ReturnsNameAndTypeInfo()
    {
        var repository = SampleApp().Catalog.GetRepository<Order>();

        Assert.Equal("orders", repository.Name);
        Assert.Equal(typeof(Order), repository.TypeInfo.Type);
    }

    [Fact]
    public void GetQueue_DeclaredType_ReturnsNameAndTypeInfo()
    {
        var queue = SampleApp().Catalog.GetQueue<Invoice>();

        Assert.Equal("invoices", queue.Name);
        Assert.Equal(typeof(Invoice), queue.TypeInfo.Type);
    }

    [Fact]
    public void GetRepository_UndeclaredType_ThrowsNamingAddRepository()
    {
        var e = Assert.Throws<PortableConfigurationException>(() => SampleApp().Catalog.GetRepository<Invoice>());

        Assert.Contains("IRepository<Invoice> was asked for", e.Message, StringComparison.Ordinal);
        Assert.Contains("builder.Resources.AddRepository<Invoice>(\"table-name\")", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetQueue_UndeclaredType_ThrowsNamingAddQueue()
    {
        var e = Assert.Throws<PortableConfigurationException>(() => SampleApp().Catalog.GetQueue<Order>());

        Assert.Contains("IQueue<Order> was asked for", e.Message, StringComparison.Ordinal);
        Assert.Contains("builder.Resources.AddQueue<Order>(\"queue-name\")", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetQueue_TypeOnlyConsumedByAFunction_IsNotInjectable()
    {
        var app = TestApp.Build(b => b.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders-placed"));

        Assert.Throws<PortableConfigurationException>(() => app.Catalog.GetQueue<OrderPlaced>());
    }

    [Fact]
    public void ToJson_ListsTheQueuesAFunctionSends_AndOmitsSendsWhenItDeclaresNone()
    {
        var app = TestApp.Build(b =>
        {
            b.Resources.AddQueue<Invoice>("invoices");
            b.Functions
                .MapHttp<GreetFunction, Greeting, GreetingReply>("POST /greet", 201, "greet").Sends<Invoice>()
                .MapSchedule<TickHandler>("*/5 * * * *", "tick");
        });

        using var json = JsonDocument.Parse(app.Catalog.ToJson());
        var functions = json.RootElement.GetProperty("functions");

        Assert.Equal(["invoices"], functions[0].GetProperty("sends").EnumerateArray().Select(q => q.GetString()));
        Assert.False(functions[1].TryGetProperty("sends", out _));
        Assert.Null(app.Catalog.ToDocument().Functions[1].Sends);
    }
}
