using Microsoft.Extensions.DependencyInjection;
using Portable.Core.Tests.Fixtures;
using Portable.Hosting;

namespace Portable.Core.Tests;

/// <summary>Input that is not UTF-8 is the caller's error on every platform: JSON text is UTF-8 (RFC 8259, section 8.1).</summary>
public sealed class Utf8InputTests
{
    public static TheoryData<string, byte[]> NotUtf8 => new()
    {
        { "0xFF in a string value", InOrderId(0xFF) },
        { "a lone continuation byte", InOrderId(0x8C) },
        { "an encoded surrogate (CESU-8)", InOrderId(0xED, 0xA0, 0x80) },
        { "a truncated sequence at the end", [.. "{\"orderId\":\"a\",\"amount\":1}"u8, 0xE2, 0x82] },
    };

    private static byte[] InOrderId(params byte[] bad) => [.. "{\"orderId\":\"a"u8, .. bad, .. "\",\"amount\":1}"u8];

    [Theory]
    [MemberData(nameof(NotUtf8))]
    public async Task Message_ThatIsNotUtf8_IsInvalidInput_AndTheHandlerIsNotCalled(string why, byte[] body)
    {
        var recorder = new Recorder();
        var app = TestApp.Build(b =>
        {
            b.AddJson(StrictJsonContext.Default);
            b.Services.AddSingleton(recorder);
            b.Services.AddScoped<ScopedProbe>();
            b.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders", "placed");
        });

        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            TestApp.CreateExecutor(app).InvokeMessageAsync(app.Catalog.Get("placed"), body, new InvocationInfo(), default));

        Assert.Contains("is not valid UTF-8 (at byte ", e.Message, StringComparison.Ordinal);
        Assert.True(e.Errors.ContainsKey("$"), why);
        Assert.Empty(recorder.Inputs);
    }

    [Fact]
    public async Task Message_ThatIsValidUtf8_WithMultiByteCharacters_IsRead()
    {
        var recorder = new Recorder();
        var app = TestApp.Build(b =>
        {
            b.AddJson(StrictJsonContext.Default);
            b.Services.AddSingleton(recorder);
            b.Services.AddScoped<ScopedProbe>();
            b.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders", "placed");
        });

        await TestApp.CreateExecutor(app).InvokeMessageAsync(app.Catalog.Get("placed"), """{"orderId":"ключ-鍵-😀","amount":1}"""u8.ToArray(), new InvocationInfo(), default);

        Assert.Single(recorder.Inputs);
    }
}
