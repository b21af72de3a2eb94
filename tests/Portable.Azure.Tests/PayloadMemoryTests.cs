using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Portable.Azure.Bindings;

namespace Portable.Azure.Tests;

/// <summary>
/// How the custom handler holds an invocation's payload: the queue message and the HTTP body are taken from it without a UTF-16
/// string and without a copy: a slice of the payload, unescaped in place when the JSON string has escapes.
/// </summary>
public sealed class PayloadMemoryTests
{
    [Fact]
    public void QueueMessageWithoutEscapes_IsASliceOfThePayload_NotACopy()
    {
        var payload = Encoding.UTF8.GetBytes("""{"Data":{"message":"plain text, no escapes: é ✓"}}""");
        using var document = JsonDocument.Parse(payload.AsMemory());

        var message = PayloadReader.ReadMessage(document.RootElement.GetProperty("Data").GetProperty("message"), payload);

        Assert.True(MemoryMarshal.TryGetArray(message, out var segment));
        Assert.Same(payload, segment.Array);
        Assert.Equal("plain text, no escapes: é ✓", Encoding.UTF8.GetString(message.Span));
    }

    [Fact]
    public void QueueMessageWithEscapes_IsItsUnescapedUtf8_UnescapedInThePayloadNotCopied()
    {
        var text = "{\"note\":\"a \\\"quoted\\\" line\\n\",\"emoji\":\"🎉 é ✓ \\u0000\",\"tab\":\"\t\b\f\r/\\\\\"}";
        var payload = Encoding.UTF8.GetBytes("{\"Data\":{\"message\":" + JsonSerializer.Serialize(text, TestJsonStrings.Default.String) + "},\"Metadata\":{\"Id\":\"m-1\"}}");
        using var document = JsonDocument.Parse(payload.AsMemory());

        var message = PayloadReader.ReadMessage(document.RootElement.GetProperty("Data").GetProperty("message"), payload);

        Assert.Equal(Encoding.UTF8.GetBytes(text), message.ToArray());
        Assert.True(MemoryMarshal.TryGetArray(message, out var segment));
        Assert.Same(payload, segment.Array);
        Assert.Equal("m-1", PayloadReader.GetString(document.RootElement.GetProperty("Metadata"), "Id"));
    }

    [Theory]
    [InlineData("\\ud83c\\udf89", "🎉")]
    [InlineData("a\\u00e9\\u2713b", "aé✓b")]
    [InlineData("\\\"\\\\\\/", "\"\\/")]
    public void EscapedString_IsUnescapedInPlace(string json, string expected)
    {
        var payload = Encoding.UTF8.GetBytes("{\"message\":\"" + json + "\"}");
        using var document = JsonDocument.Parse(payload.AsMemory());

        var message = PayloadReader.ReadMessage(document.RootElement.GetProperty("message"), payload);

        Assert.Equal(expected, Encoding.UTF8.GetString(message.Span));
    }

    [Fact]
    public void HttpBodyWithoutEscapes_IsASliceOfThePayload()
    {
        var payload = Encoding.UTF8.GetBytes("""{"req":{"Method":"POST","Url":"https://a.net/api/x","Body":"some body"}}""");
        using var document = JsonDocument.Parse(payload.AsMemory());

        var request = PayloadReader.ReadHttpRequest(document.RootElement.GetProperty("req"), "api", payload);

        Assert.True(MemoryMarshal.TryGetArray(request.Body, out var segment));
        Assert.Same(payload, segment.Array);
        Assert.Equal("some body", request.ReadText());
    }
}
