using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portable.Aws.Events;

/// <summary>
/// Reads a JSON string as its UTF-8 bytes, unescaped, without making a .NET string: an HTTP body, an SQS message body or
/// an SNS message goes from the event's bytes to the function's deserializer (or base64 decoder) with one copy.
/// </summary>
internal sealed class Utf8StringConverter : JsonConverter<byte[]>
{
    public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"Expected a string, not {reader.TokenType}.");
        if (!reader.ValueIsEscaped && !reader.HasValueSequence) return reader.ValueSpan.ToArray();
        var buffer = new byte[reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length];
        var written = reader.CopyString(buffer);
        return written == buffer.Length ? buffer : buffer[..written];
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
