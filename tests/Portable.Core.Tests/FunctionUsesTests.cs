using System.Text.Json;
using Portable.Core.Tests.Fixtures;
using Portable.Hosting;

namespace Portable.Core.Tests;

/// <summary>Least privilege from the code: the catalog reads each function's ports from its constructors and its declarations.</summary>
public sealed class FunctionUsesTests
{
    private static PortableApp Build(Action<FunctionsBuilder> map) => TestApp.Build(b =>
    {
        b.Resources.AddRepository<Order>("orders").AddRepository<Invoice>("invoices").AddQueue<OrderPlaced>("order-placed").AddTopic("announcements").AddTopic("audit");
        map(b.Functions);
    });

    [Fact]
    public void Uses_AFunctionWithoutPorts_IsEmpty()
    {
        var uses = Build(f => f.MapHttp<NoContentFunction>("GET /hello", "hello")).Catalog.Get("hello").Uses;

        Assert.True(uses.IsEmpty);
        Assert.Empty(uses.Repositories);
        Assert.Empty(uses.Queues);
        Assert.Empty(uses.Topics);
    }

    [Fact]
    public void Uses_ReadsTheConstructorsRepository()
    {
        var uses = Build(f => f.MapHttp<ReadsOrders>("GET /orders/{id}")).Catalog.Get(nameof(ReadsOrders)).Uses;

        Assert.Equal(["orders"], uses.Repositories);
        Assert.Empty(uses.Queues);
        Assert.Empty(uses.Topics);
    }

    [Fact]
    public void Uses_ReadsRepositoriesAndQueuesOfEveryPublicConstructor_Once()
    {
        var uses = Build(f => f.MapHttp<PlacesOrders, Greeting, GreetingReply>("POST /orders")).Catalog.Get(nameof(PlacesOrders)).Uses;

        Assert.Equal(["orders", "invoices"], uses.Repositories);
        Assert.Equal(["order-placed"], uses.Queues);
        Assert.Empty(uses.Topics);
    }

    [Fact]
    public void Uses_ANotifierWithoutPublishes_MayPublishToEveryTopicOfTheApp()
    {
        var uses = Build(f => f.MapQueue<Announces, OrderPlaced>("order-placed")).Catalog.Get(nameof(Announces)).Uses;

        Assert.Equal(["announcements", "audit"], uses.Topics);
        Assert.Empty(uses.Queues); // its own trigger is not something it sends to
    }

    [Fact]
    public void Uses_PublishesNarrowsANotifierToTheDeclaredTopics_AndDeclaresTheTopic()
    {
        var app = Build(f => f.MapQueue<Announces, OrderPlaced>("order-placed").Publishes("announcements").Publishes("news").Publishes("news"));

        Assert.Equal(["announcements", "news"], app.Catalog.Get(nameof(Announces)).Uses.Topics);
        Assert.Contains("news", app.Catalog.Topics);
    }

    [Fact]
    public void Uses_DeclarationsAddWhatAConstructorDoesNotReveal()
    {
        var uses = Build(f => f.MapHttp<NoContentFunction>("POST /x", "x").Sends<OrderPlaced>().UsesRepository<Invoice>().Publishes("audit"))
            .Catalog.Get("x").Uses;

        Assert.Equal(["invoices"], uses.Repositories);
        Assert.Equal(["order-placed"], uses.Queues);
        Assert.Equal(["audit"], uses.Topics);
    }

    [Fact]
    public void Uses_AConstructorQueueAlsoDeclaredWithSends_IsListedOnce()
    {
        var uses = Build(f => f.MapHttp<PlacesOrders, Greeting, GreetingReply>("POST /orders").Sends<OrderPlaced>()).Catalog.Get(nameof(PlacesOrders)).Uses;

        Assert.Equal(["order-placed"], uses.Queues);
    }

    [Fact]
    public void Uses_AConstructorRepositoryThatIsNotDeclared_ThrowsNamingTheFunctionAndAddRepository()
    {
        var app = TestApp.Build(b => b.Functions.MapHttp<ReadsOrders>("GET /orders/{id}"));

        var e = Assert.Throws<PortableConfigurationException>(() => app.Catalog.Get(nameof(ReadsOrders)).Uses);

        Assert.Contains("ReadsOrders uses IRepository<Order>", e.Message, StringComparison.Ordinal);
        Assert.Contains("AddRepository<Order>(", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_ListsWhatEachFunctionUses()
    {
        var app = Build(f => f.MapHttp<NoContentFunction>("GET /hello", "hello").MapHttp<PlacesOrders, Greeting, GreetingReply>("POST /orders"));

        using var json = JsonDocument.Parse(app.Catalog.ToJson());
        var functions = json.RootElement.GetProperty("functions");

        Assert.Equal(0, functions[0].GetProperty("uses").GetProperty("repositories").GetArrayLength());
        var uses = functions[1].GetProperty("uses");
        Assert.Equal(["orders", "invoices"], uses.GetProperty("repositories").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["order-placed"], uses.GetProperty("queues").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, uses.GetProperty("topics").GetArrayLength());
    }
}
