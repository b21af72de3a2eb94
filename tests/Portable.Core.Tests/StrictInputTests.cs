using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Portable.Core.Tests.Fixtures;
using Portable.Hosting;
using Portable.Json;

namespace Portable.Core.Tests;

/// <summary>Required members and non-nullable properties hold when input is read, whatever the user's context says (issue #11, item 2).</summary>
public sealed class StrictInputTests
{
    private readonly Recorder _recorder = new();

    private PortableApp BuildApp(Action<PortableAppBuilder> configure) => TestApp.Build(b =>
    {
        b.AddJson(StrictJsonContext.Default);
        b.Services.AddSingleton(_recorder);
        b.Services.AddScoped<ScopedProbe>();
        configure(b);
    });

    private static HttpRequestData JsonRequest(string body)
    {
        var request = new HttpRequestData("POST", "/x") { Body = Encoding.UTF8.GetBytes(body) };
        request.Headers["Content-Type"] = "application/json";
        return request;
    }

    private static Dictionary<string, string[]> ErrorsOf(HttpResponseData response)
    {
        using var problem = JsonDocument.Parse(response.Body);
        return problem.RootElement.GetProperty("errors").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(m => m.GetString()!).ToArray(), StringComparer.Ordinal);
    }

    [Fact]
    public async Task Message_EmptyObject_IsInvalidInputNamingEveryMissingField_AndTheHandlerIsNotCalled()
    {
        var app = BuildApp(b => b.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders", "placed"));

        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            TestApp.CreateExecutor(app).InvokeMessageAsync(app.Catalog.Get("placed"), "{}"u8.ToArray(), new InvocationInfo(), default));

        Assert.Equal(["amount", "orderId"], e.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["The field is required."], e.Errors["orderId"]);
        Assert.Contains("The message is not a valid OrderPlaced", e.Message, StringComparison.Ordinal);
        Assert.Empty(_recorder.Inputs);
    }

    [Fact]
    public async Task Message_NullForNonNullableField_IsInvalidInputNamingIt()
    {
        var app = BuildApp(b => b.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders", "placed"));

        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            TestApp.CreateExecutor(app).InvokeMessageAsync(app.Catalog.Get("placed"), """{"orderId":null,"amount":1}"""u8.ToArray(), new InvocationInfo(), default));

        Assert.Equal(["The field cannot be null."], Assert.Single(e.Errors, kv => kv.Key == "orderId").Value);
        Assert.DoesNotContain("Consider updating", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notification_BodyMissingRequiredField_IsInvalidInput()
    {
        var app = BuildApp(b => b.Functions.MapTopic<OrderPlacedHandler, OrderPlaced>("events", "on-placed"));

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => TestApp.CreateExecutor(app).InvokeNotificationAsync(
            app.Catalog.Get("on-placed"), new Notification("events", """{"amount":2}"""), new InvocationInfo(), default));

        Assert.Equal("orderId", Assert.Single(e.Errors).Key);
        Assert.Empty(_recorder.Inputs);
    }

    [Fact]
    public async Task HttpBody_EmptyObject_Answers400NamingTheField()
    {
        var app = BuildApp(b => b.Functions.MapHttp<GreetFunction, Greeting, GreetingReply>("POST /x", name: "greet"));

        var response = await TestApp.CreateExecutor(app).InvokeHttpAsync(app.Catalog.Get("greet"), JsonRequest("{}"), new InvocationInfo(), default);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(["The field is required."], ErrorsOf(response)["name"]);
        Assert.Empty(_recorder.Inputs);
    }

    [Fact]
    public async Task HttpBody_NestedItemMissingField_NamesItsPath()
    {
        var app = BuildApp(b => b.Functions.MapHttp<BasketFunction, Basket, Basket>("POST /x", name: "basket"));

        var response = await TestApp.CreateExecutor(app).InvokeHttpAsync(
            app.Catalog.Get("basket"), JsonRequest("""{"lines":[{"sku":"a","quantity":1},{"sku":"b"}]}"""), new InvocationInfo(), default);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("lines[1].quantity", Assert.Single(ErrorsOf(response)).Key);
    }

    [Fact]
    public async Task HttpBody_NullableParameterLeftOut_IsAccepted()
    {
        var app = BuildApp(b => b.Functions.MapHttp<BasketFunction, Basket, Basket>("POST /x", name: "basket"));

        var response = await TestApp.CreateExecutor(app).InvokeHttpAsync(
            app.Catalog.Get("basket"), JsonRequest("""{"lines":[]}"""), new InvocationInfo(), default);

        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public async Task HttpBody_PropertyNamesInAnotherCase_AreStillFound()
    {
        var app = BuildApp(b => b.Functions.MapHttp<BasketFunction, Basket, Basket>("POST /x", name: "basket"));

        var response = await TestApp.CreateExecutor(app).InvokeHttpAsync(
            app.Catalog.Get("basket"), JsonRequest("""{"LINES":[{"SKU":"a","Quantity":1}]}"""), new InvocationInfo(), default);

        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public void RequiredProperty_Missing_IsNamed()
    {
        var e = Assert.Throws<InvalidInputException>(() =>
            PortableJson.Deserialize("""{"note":"x"}"""u8.ToArray(), PortableJson.ForInput(StrictJsonContext.Default.Settings), "The input"));

        Assert.Equal("region", Assert.Single(e.Errors).Key);
    }

    [Fact]
    public void ReadJson_OnRequestData_IsStrictToo()
    {
        var request = JsonRequest("""{"lines":null}""");

        var e = Assert.Throws<InvalidInputException>(() => request.ReadJson(StrictJsonContext.Default.Basket));

        Assert.Equal(["The field cannot be null."], e.Errors["lines"]);
    }

    [Fact]
    public void CloudEventData_MissingField_IsInvalidInputNamingIt()
    {
        using var data = JsonDocument.Parse("""{"amount":3}""");
        var cloudEvent = new CloudEvent { Id = "e-9", Source = "/test", Type = "t", Data = data.RootElement.Clone() };

        var e = Assert.Throws<InvalidInputException>(() => cloudEvent.GetData(TestJsonContext.Default.OrderPlaced));

        Assert.Contains("orderId", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<JsonException>(e.InnerException);
    }

    [Fact]
    public async Task Writing_IsNotMadeStricter_AResponseWithANullInANonNullableMemberIsStillWritten()
    {
        var app = BuildApp(b => b.Functions.MapHttp<NullReplyFunction, Greeting, GreetingReply>("POST /x", name: "null-reply"));

        var response = await TestApp.CreateExecutor(app).InvokeHttpAsync(app.Catalog.Get("null-reply"), JsonRequest("""{"name":"Ada"}"""), new InvocationInfo(), default);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("""{"message":null}""", Encoding.UTF8.GetString(response.Body.Span));
        Assert.False(app.Json.RespectNullableAnnotations);
    }

    [Fact]
    public void ForInput_IsMadeOncePerOptions_AndLeavesTheAppOptionsAlone()
    {
        var app = BuildApp(_ => { });

        var first = PortableJson.ForInput(app.Json);

        Assert.Same(first, PortableJson.ForInput(app.Json));
        Assert.True(first.RespectNullableAnnotations);
        Assert.True(first.IsReadOnly);
        Assert.False(app.Json.RespectNullableAnnotations);
        Assert.Equal(app.Json.PropertyNamingPolicy, first.PropertyNamingPolicy);
    }

    [Fact]
    public async Task Message_WithAMemberNamedTwice_IsInvalidInputNamingIt_AndTheHandlerIsNotCalled()
    {
        var app = BuildApp(b => b.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders", "placed"));

        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            TestApp.CreateExecutor(app).InvokeMessageAsync(app.Catalog.Get("placed"), """{"orderId":"a","amount":1,"orderId":"b"}"""u8.ToArray(), new InvocationInfo(), default));

        var (field, reasons) = Assert.Single(e.Errors);
        Assert.Equal("orderId", field);
        Assert.Contains("orderId", reasons[0], StringComparison.Ordinal);
        Assert.Empty(_recorder.Inputs);
    }

    [Fact]
    public async Task Request_WithADuplicateMemberInANestedObject_Answers400NamingIt()
    {
        var app = BuildApp(b => b.Functions.MapHttp<BasketFunction, Basket, Basket>("POST /x", name: "basket"));

        var response = await TestApp.CreateExecutor(app).InvokeHttpAsync(
            app.Catalog.Get("basket"), JsonRequest("""{"lines":[{"sku":"a","quantity":1,"sku":"b"}]}"""), new InvocationInfo(), default);

        Assert.Equal(400, response.StatusCode);
        Assert.Contains("lines[0].sku", ErrorsOf(response).Keys);
    }

    [Fact]
    public void DuplicateMember_DifferingOnlyInCase_IsRefusedWhenTheAppReadsNamesCaseInsensitively()
    {
        var options = new JsonSerializerOptions(StrictJsonContext.Default.Options) { PropertyNameCaseInsensitive = true };
        var typeInfo = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<Basket>)options.GetTypeInfo(typeof(Basket));

        Assert.Throws<InvalidInputException>(() =>
            PortableJson.Deserialize("""{"lines":[],"LINES":[]}"""u8.ToArray(), PortableJson.ForInput(typeInfo), "The input"));
    }

    [Fact]
    public void CloudEventData_WithAMemberNamedTwice_IsInvalidInput()
    {
        using var data = JsonDocument.Parse("""{"orderId":"a","amount":3,"orderId":"b"}""");
        var cloudEvent = new CloudEvent { Id = "e-9", Source = "/test", Type = "t", Data = data.RootElement.Clone() };

        var e = Assert.Throws<InvalidInputException>(() => cloudEvent.GetData(TestJsonContext.Default.OrderPlaced));

        Assert.Contains("orderId", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WritingAndStoredDocuments_KeepTheAppsOptions_DuplicatesAreRefusedOnlyOnInput()
    {
        var app = BuildApp(_ => { });

        Assert.False(PortableJson.ForInput(app.Json).AllowDuplicateProperties);
        Assert.True(app.Json.AllowDuplicateProperties);
    }

    [Fact]
    public void MalformedJson_KeepsTheReadersExplanation()
    {
        var e = Assert.Throws<InvalidInputException>(() =>
            PortableJson.Deserialize("""{"lines":[{"sku":1}]}"""u8.ToArray(), PortableJson.ForInput(StrictJsonContext.Default.Basket), "The input"));

        Assert.Contains("could not be converted", Assert.Single(e.Errors, kv => kv.Key == "lines[0].sku").Value[0], StringComparison.Ordinal);
    }
}

public sealed record Line(string Sku, int Quantity);

public sealed record Basket(IReadOnlyList<Line> Lines, string? Note);

public sealed class Settings
{
    public required string Region { get; init; }

    public string? Note { get; init; }
}

public sealed class BasketFunction : IFunction<Basket, Basket>
{
    public Task<Basket> HandleAsync(Basket input, FunctionContext context, CancellationToken cancellationToken) => Task.FromResult(input);
}

public sealed class NullReplyFunction : IFunction<Greeting, GreetingReply>
{
    public Task<GreetingReply> HandleAsync(Greeting input, FunctionContext context, CancellationToken cancellationToken) => Task.FromResult(new GreetingReply(null!));
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Basket))]
[JsonSerializable(typeof(Settings))]
public sealed partial class StrictJsonContext : JsonSerializerContext;
