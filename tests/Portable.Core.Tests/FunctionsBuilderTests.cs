using Portable.Core.Tests.Fixtures;
using Portable.Hosting;

namespace Portable.Core.Tests;

public sealed class FunctionsBuilderTests
{
    [Fact]
    public void Map_WithoutName_UsesClassName()
    {
        var app = TestApp.Build(b => b.Functions.MapHttp<GreetFunction, Greeting, GreetingReply>("POST /greet"));

        var function = Assert.Single(app.Catalog.Functions);
        Assert.Equal(nameof(GreetFunction), function.Name);
        Assert.Equal(typeof(GreetFunction), function.HandlerType);
        Assert.Equal(typeof(Greeting), function.InputType);
        Assert.Equal(typeof(GreetingReply), function.OutputType);
    }

    [Fact]
    public void MapHttp_NormalisesMethodToUpperCaseAndRouteToLeadingSlash()
    {
        var app = TestApp.Build(b => b.Functions.MapHttp<NoContentFunction>("  get   /orders/{id}/  ", "get-order"));

        Assert.Equal(FunctionTrigger.Http("GET", "/orders/{id}"), app.Catalog.Get("get-order").Trigger);
    }

    [Fact]
    public void Map_DuplicateFunctionNameInAnyCase_ThrowsSayingToPassAName()
    {
        var builder = TestApp.CreateBuilder();
        builder.Functions.MapHttp<NoContentFunction>("GET /a", "orders");

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("q", "ORDERS"));

        Assert.Contains("Two functions are named 'ORDERS'", e.Message, StringComparison.Ordinal);
        Assert.Contains("pass a name to the second Map call", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_SameHandlerTwiceWithoutName_ThrowsForDuplicateName()
    {
        var builder = TestApp.CreateBuilder();
        builder.Functions.MapHttp<NoContentFunction>("GET /a");

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Functions.MapHttp<NoContentFunction>("GET /b"));

        Assert.Contains(nameof(NoContentFunction), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET /orders/{id}", "get /Orders/{id}/")]
    [InlineData("POST /orders", "POST /orders/")]
    [InlineData("* /proxy/{*rest}", "* /PROXY/{*rest}")]
    public void MapHttp_SameMethodAndRouteTwice_ThrowsNamingBothFunctions(string first, string second)
    {
        var builder = TestApp.CreateBuilder();
        builder.Functions.MapHttp<NoContentFunction>(first, "first");

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Functions.MapHttp<NoContentFunction>(second, "second"));

        Assert.Contains("to first and to second", e.Message, StringComparison.Ordinal);
        Assert.Contains("mapped twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapHttp_SameRouteWithOtherMethod_IsAllowed()
    {
        var app = TestApp.Build(b => b.Functions
            .MapHttp<NoContentFunction>("GET /orders", "list")
            .MapHttp<NoContentFunction>("POST /orders", "place"));

        Assert.Equal(2, app.Catalog.Functions.Count);
    }

    [Theory]
    [InlineData("/orders")]
    [InlineData("GET")]
    [InlineData("GET orders")]
    [InlineData("GET-/orders")]
    [InlineData("G3T /orders")]
    public void MapHttp_MalformedMethodAndRoute_ThrowsWithExample(string methodAndRoute)
    {
        var builder = TestApp.CreateBuilder();

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Functions.MapHttp<NoContentFunction>(methodAndRoute));

        Assert.Contains($"'{methodAndRoute}' is not a method and route", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"POST /orders\"", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void MapHttp_BlankMethodAndRoute_ThrowsArgumentException(string methodAndRoute)
    {
        var builder = TestApp.CreateBuilder();

        Assert.Throws<ArgumentException>(() => builder.Functions.MapHttp<NoContentFunction>(methodAndRoute));
    }

    [Fact]
    public void MapHttp_MalformedRouteTemplate_ThrowsFromTemplateParser()
    {
        var builder = TestApp.CreateBuilder();

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Functions.MapHttp<NoContentFunction>("GET /orders/{id"));

        Assert.Contains("A parameter must be a whole segment", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("orders queue")]
    [InlineData("orders/eu")]
    public void MapQueue_UnportableQueueName_ThrowsListingAllowedCharacters(string queue)
    {
        var builder = TestApp.CreateBuilder();

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>(queue));

        Assert.Contains($"The queue name '{queue}' is not portable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_FunctionNameLongerThan80_Throws()
    {
        var builder = TestApp.CreateBuilder();

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Functions.MapHttp<NoContentFunction>("GET /a", new string('f', 81)));

        Assert.Contains("at most 80", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapSchedule_SixFields_ThrowsSayingFiveAreNeeded()
    {
        var builder = TestApp.CreateBuilder();

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Functions.MapSchedule<TickHandler>("0 */5 * * * *"));

        Assert.Contains("has 6 fields", e.Message, StringComparison.Ordinal);
        Assert.Contains("five (minute hour day month weekday)", e.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(TickHandler), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapSchedule_ExtraSpaces_AreNormalised()
    {
        var app = TestApp.Build(b => b.Functions.MapSchedule<TickHandler>("  */5   *  * * * "));

        Assert.Equal("*/5 * * * *", app.Catalog.Get(nameof(TickHandler)).Trigger.Cron);
    }

    [Fact]
    public void Validate_TypedFunctionWhoseTypesAreMissingFromJsonContexts_ThrowsNamingTypeAndFix()
    {
        var builder = TestApp.CreateBuilder();
        builder.Functions.MapHttp<UnregisteredFunction, UnregisteredRequest, GreetingReply>("POST /x");

        var e = Assert.Throws<PortableConfigurationException>(builder.Build().Catalog.Validate);

        Assert.Contains(typeof(UnregisteredRequest).FullName!, e.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(UnregisteredFunction), e.Message, StringComparison.Ordinal);
        Assert.Contains("[JsonSerializable(typeof(UnregisteredRequest))]", e.Message, StringComparison.Ordinal);
        Assert.Contains("builder.AddJson(", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TypedFunctionWithoutAddJson_Throws()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.Functions.MapHttp<GreetFunction, Greeting, GreetingReply>("POST /greet");

        var e = Assert.Throws<PortableConfigurationException>(builder.Build().Catalog.Validate);

        Assert.Contains("JsonSerializable", e.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(Greeting), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_QueueMessageTypeMissingFromJsonContexts_Throws()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders");

        var e = Assert.Throws<PortableConfigurationException>(builder.Build().Catalog.Validate);

        Assert.Contains(typeof(OrderPlaced).FullName!, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NotificationAndScheduleAndCloudEventFunctions_NeedNoAppContext()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.Functions
            .MapTopic<NotificationHandler, Notification>("alerts")
            .MapSchedule<TickHandler>("0 * * * *")
            .MapEvent<CloudEventHandler>("storage.finalized");

        Assert.Equal(3, builder.Build().Catalog.Functions.Count);
    }

    [Fact]
    public void Build_MakesJsonOptionsReadOnly()
    {
        var builder = TestApp.CreateBuilder();

        var app = builder.Build();

        Assert.True(app.Json.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => builder.AddJson(TestJsonContext.Default));
    }

    [Fact]
    public void Map_RegistersHandlerAsScopedService()
    {
        var app = TestApp.Build(b => b.Functions.MapHttp<NoContentFunction>("GET /a"));

        var descriptor = Assert.Single(app.Services, d => d.ServiceType == typeof(NoContentFunction));
        Assert.Equal(Microsoft.Extensions.DependencyInjection.ServiceLifetime.Scoped, descriptor.Lifetime);
    }

    [Fact]
    public void Catalog_Get_UnknownName_ThrowsListingFunctions()
    {
        var app = TestApp.Build(b => b.Functions.MapHttp<NoContentFunction>("GET /a", "alpha").MapHttp<NoContentFunction>("GET /b", "beta"));

        var e = Assert.Throws<PortableConfigurationException>(() => app.Catalog.Get("gamma"));

        Assert.Contains("No function named 'gamma'. This app has: alpha, beta.", e.Message, StringComparison.Ordinal);
        Assert.Same(app.Catalog.Get("alpha"), app.Catalog.Find("ALPHA"));
        Assert.Null(app.Catalog.Find("gamma"));
    }

    [Fact]
    public void MapHttp_SameShapeDifferentParameterNames_Throws()
    {
        var builder = TestApp.CreateBuilder();
        builder.Functions.MapHttp<NoContentFunction>("GET /orders/{id}", "a");
        var error = Assert.Throws<PortableConfigurationException>(() => builder.Functions.MapHttp<NoContentFunction>("GET /orders/{orderId}", "b"));
        Assert.Contains("/orders/{id}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sends_AppliesToTheFunctionOfThePreviousMapCall_AsItsQueueNames_InDeclarationOrder()
    {
        var app = TestApp.Build(b =>
        {
            b.Resources.AddQueue<Invoice>("invoices").AddQueue<Order>("orders-out");
            b.Functions
                .MapHttp<GreetFunction, Greeting, GreetingReply>("POST /greet", name: "greet").Sends<Order>().Sends<Invoice>()
                .MapSchedule<TickHandler>("*/5 * * * *", "tick");
        });

        Assert.Equal(["orders-out", "invoices"], app.Catalog.Get("greet").Sends);
        Assert.Empty(app.Catalog.Get("tick").Sends);
    }

    [Fact]
    public void Sends_TheSameTypeTwice_IsListedOnce()
    {
        var app = TestApp.Build(b =>
        {
            b.Resources.AddQueue<Invoice>("invoices");
            b.Functions.MapHttp<NoContentFunction>("GET /a", "a").Sends<Invoice>().Sends<Invoice>();
        });

        Assert.Equal(["invoices"], app.Catalog.Get("a").Sends);
    }

    [Fact]
    public void Sends_BeforeAnyMapCall_ThrowsSayingToCallItAfterOne()
    {
        var builder = TestApp.CreateBuilder();

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Functions.Sends<Invoice>());

        Assert.Contains("Sends<Invoice>()", e.Message, StringComparison.Ordinal);
        Assert.Contains("no function is mapped yet", e.Message, StringComparison.Ordinal);
        Assert.Contains("after the Map call", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sends_ATypeWithoutADeclaredQueue_ThrowsAtBuild_NamingTheFunctionTheTypeAndAddQueue()
    {
        var builder = TestApp.CreateBuilder();
        builder.Functions.MapHttp<NoContentFunction>("GET /a", "alpha").Sends<Invoice>();

        var e = Assert.Throws<PortableConfigurationException>(builder.Build);

        Assert.Contains("alpha declares Sends<Invoice>(), but no queue of Invoice is declared", e.Message, StringComparison.Ordinal);
        Assert.Contains("builder.Resources.AddQueue<Invoice>(\"queue-name\")", e.Message, StringComparison.Ordinal);
    }
}
