using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Portable.Aws.Events;

/// <summary>
/// Writes a <see cref="HttpResultBody"/> from the response's bytes, with no .NET string between: text as a JSON string
/// (escaped as any string would be), other bytes as base64. Text that is not valid UTF-8 is written as its decoding, with
/// replacement characters, as before.
/// </summary>
internal sealed class HttpResultBodyConverter : JsonConverter<HttpResultBody>
{
    public override HttpResultBody Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => new(Encoding.UTF8.GetBytes(reader.GetString() ?? ""), IsBase64: false);

    public override void Write(Utf8JsonWriter writer, HttpResultBody value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var bytes = value.Bytes.Span;
        if (value.IsBase64) writer.WriteBase64StringValue(bytes);
        else if (Utf8.IsValid(bytes)) writer.WriteStringValue(bytes);
        else writer.WriteStringValue(Encoding.UTF8.GetString(bytes));
    }
}
