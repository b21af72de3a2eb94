using System.Text.Json;
using Portable.Core.Tests.Fixtures;

namespace Portable.Core.Tests;

public sealed class CloudEventTests
{
    private static CloudEvent WithData(string? json) => new()
    {
        Id = "e-1",
        Source = "//storage/bucket",
        Type = "storage.finalized",
        Data = json is null ? null : JsonDocument.Parse(json).RootElement.Clone(),
    };

    [Fact]
    public void GetData_ValidPayload_ReturnsTypedValue()
    {
        Assert.Equal(new OrderPlaced("o-5", 5m), WithData("""{"orderId":"o-5","amount":5}""").GetData(TestJsonContext.Default.OrderPlaced));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("null")]
    public void GetData_NoPayload_ReturnsDefault(string? json)
    {
        Assert.Null(WithData(json).GetData(TestJsonContext.Default.OrderPlaced));
    }

    [Fact]
    public void GetData_InvalidPayload_ThrowsInvalidInputNamingEvent()
    {
        var e = Assert.Throws<InvalidInputException>(() => WithData("""{"orderId":1}""").GetData(TestJsonContext.Default.OrderPlaced));

        Assert.Contains("The data of event 'e-1' is not a valid OrderPlaced", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<JsonException>(e.InnerException);
    }

    [Fact]
    public void SpecVersion_DefaultsTo10()
    {
        Assert.Equal("1.0", WithData(null).SpecVersion);
    }
}
