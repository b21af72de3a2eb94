using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portable.Core.Tests.Fixtures;
using Portable.Hosting;
using Portable.Json;

namespace Portable.Core.Tests;

/// <summary>
/// <c>Portable:MaxInputStringBytes</c> (1 MiB by default): a string in a function's input longer than that, in UTF-8 once
/// unescaped, is invalid input refused before it is made into a .NET string, whatever the trigger, with its path and the setting.
/// </summary>
public sealed class InputStringLimitTests
{
    private const int Limit = InputStringLimit.DefaultBytes;

    private readonly Recorder _recorder = new();

    private PortableApp BuildApp(Action<PortableAppBuilder> configure, string? setting = null) => TestApp.Build(b =>
    {
        if (setting is not null) b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [InputStringLimit.Setting] = setting });
        b.AddJson(StrictJsonContext.Default);
        b.Services.AddSingleton(_recorder);
        configure(b);
    });

    private static byte[] Basket(string sku) => Encoding.UTF8.GetBytes($$"""{"lines":[{"sku":"a","quantity":1},{"sku":"{{sku}}","quantity":1}],"note":null}""");

    private static Basket Read(byte[] json) => PortableJson.Deserialize(json, PortableJson.ForInput(StrictJsonContext.Default.Basket), "The request body");

    [Fact]
    public void StringOneByteOverTheDefault_IsInvalidInputNamingItsPathAndTheSetting()
    {
        var e = Assert.Throws<InvalidInputException>(() => Read(Basket(new string('s', Limit + 1))));

        var reason = Assert.Single(e.Errors, kv => kv.Key == "lines[1].sku").Value[0];
        Assert.Contains($"{Limit + 1:N0} bytes", reason, StringComparison.Ordinal);
        Assert.Contains("Portable:MaxInputStringBytes", reason, StringComparison.Ordinal);
        Assert.StartsWith("The request body cannot be read:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StringAtTheDefault_IsRead()
        => Assert.Equal(Limit, Read(Basket(new string('s', Limit))).Lines[1].Sku.Length);

    [Fact]
    public void EscapedString_IsMeasuredUnescaped()
    {
        // Each \u00e9 is 6 bytes of JSON and 2 of UTF-8: the JSON is far over the limit, the text is not.
        var sku = string.Concat(Enumerable.Repeat("\\u00e9", (Limit / 2) - 1)) + "\\ud83c\\udf89"; // + one 4-byte emoji: Limit + 2 bytes
        var e = Assert.Throws<InvalidInputException>(() => Read(Basket(sku)));
        Assert.Contains($"{Limit + 2:N0} bytes", e.Errors["lines[1].sku"][0], StringComparison.Ordinal);

        var under = string.Concat(Enumerable.Repeat("\\u00e9", Limit / 2));
        Assert.Equal(Limit / 2, Read(Basket(under)).Lines[1].Sku.Length);
    }

    [Fact]
    public void MemberNameOverTheLimit_IsRefusedWithoutBeingMade()
    {
        var json = Encoding.UTF8.GetBytes($$"""{"lines":[],"{{new string('n', Limit + 1)}}":1}""");

        var e = Assert.Throws<InvalidInputException>(() => Read(json));

        Assert.Contains("member name", Assert.Single(e.Errors, kv => kv.Key == "<name>").Value[0], StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedJsonBeforeALongString_KeepsTheReadersExplanation()
    {
        var json = Encoding.UTF8.GetBytes($$"""{"lines":[{"sku" "a"}],"note":"{{new string('s', Limit + 1)}}"}""");

        var e = Assert.Throws<InvalidInputException>(() => Read(json));

        Assert.Contains("is not a valid Basket", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(InputStringLimit.Setting, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_WithAStringOverTheLimit_IsInvalidInput_AndTheHandlerIsNotCalled()
    {
        var app = BuildApp(b => b.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders", "placed"));
        var message = Encoding.UTF8.GetBytes($$"""{"orderId":"{{new string('o', Limit + 1)}}","amount":1}""");

        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            TestApp.CreateExecutor(app).InvokeMessageAsync(app.Catalog.Get("placed"), message, new InvocationInfo(), default));

        Assert.Contains("orderId", e.Errors.Keys);
        Assert.Empty(_recorder.Inputs);
    }

    [Fact]
    public async Task Setting_LowersTheLimitForEveryInputOfTheApp()
    {
        var app = BuildApp(b => b.Functions.MapHttp<BasketFunction, Basket, Basket>("POST /baskets", name: "baskets"), setting: "2048");
        var executor = TestApp.CreateExecutor(app);
        async Task<HttpResponseData> PostAsync(string sku)
        {
            var request = new HttpRequestData("POST", "/baskets") { Body = Basket(sku) };
            request.Headers["Content-Type"] = "application/json";
            return await executor.InvokeHttpAsync(app.Catalog.Get("baskets"), request, new InvocationInfo(), default);
        }

        var refused = await PostAsync(new string('s', 2049));
        Assert.Equal(400, refused.StatusCode);
        using (var problem = JsonDocument.Parse(refused.Body))
        {
            Assert.Contains("at most 2,048 bytes", problem.RootElement.GetProperty("errors").GetProperty("lines[1].sku")[0].GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(200, (await PostAsync(new string('s', 2048))).StatusCode);
    }

    [Fact]
    public void Setting_RaisesTheLimit()
    {
        var app = BuildApp(_ => { }, setting: (Limit * 4).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var input = PortableJson.ForInput(app.Json);

        Assert.Equal(Limit * 4, InputStringLimit.Of(input));
        Assert.Equal(Limit * 2, PortableJson.Deserialize(Basket(new string('s', Limit * 2)), PortableJson.GetTypeInfo<Basket>(input, "test"), "The input").Lines[1].Sku.Length);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1023")]
    [InlineData("256KB")]
    [InlineData("-1")]
    public void Setting_NotAWholeNumberFrom1024_FailsTheBuildNamingIt(string value)
    {
        var e = Assert.Throws<PortableConfigurationException>(() => BuildApp(_ => { }, setting: value));

        Assert.Contains($"Portable:MaxInputStringBytes is '{value}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EventData_WithAStringOverTheLimit_IsInvalidInput()
    {
        using var data = JsonDocument.Parse($$"""{"lines":[{"sku":"{{new string('s', Limit + 1)}}","quantity":1}]}""");
        var cloudEvent = new CloudEvent { Id = "e-1", Source = "test", Type = "t", Data = data.RootElement.Clone() };

        var e = Assert.Throws<InvalidInputException>(() => cloudEvent.GetData(StrictJsonContext.Default.Basket));

        Assert.Contains("The data of event 'e-1' cannot be read", e.Message, StringComparison.Ordinal);
        Assert.Contains("lines[0].sku", e.Message, StringComparison.Ordinal);
    }
}
