using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portable.Aws.Events;

/// <summary>
/// Reads an event's <c>headers</c> / <c>queryStringParameters</c> (name → string) or <c>multiValueHeaders</c> /
/// <c>multiValueQueryStringParameters</c> (name → array of strings) as the name-value pairs in order, a null value meaning
/// none: the pairs are then added once to the request's <see cref="HttpValues"/>, with no dictionary in between.
/// </summary>
internal sealed class HttpValuePairsConverter : JsonConverter<List<KeyValuePair<string, string>>>
{
    public override List<KeyValuePair<string, string>>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"Expected an object of names, not {reader.TokenType}.");
        var pairs = new List<KeyValuePair<string, string>>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    break;
                case JsonTokenType.String:
                    pairs.Add(new(name, reader.GetString()!));
                    break;
                case JsonTokenType.StartArray:
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"Expected strings in '{name}', not {reader.TokenType}.");
                        pairs.Add(new(name, reader.GetString()!));
                    }

                    break;
                default:
                    throw new JsonException($"Expected a string or an array of strings for '{name}', not {reader.TokenType}.");
            }
        }

        return pairs;
    }

    public override void Write(Utf8JsonWriter writer, List<KeyValuePair<string, string>> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var group in value.GroupBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteStartArray(group.Key);
            foreach (var (_, v) in group) writer.WriteStringValue(v);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
