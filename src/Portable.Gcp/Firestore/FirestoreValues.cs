using System.Text.Json;

namespace Portable.Gcp.Firestore;

/// <summary>
/// Converts between a document's JSON and Firestore's typed values (REST v1 <c>Value</c>): objects are map values, arrays array
/// values, whole numbers integer values (as strings, as the API writes int64), other numbers double values, and so on.
/// </summary>
internal static class FirestoreValues
{
    /// <summary>Writes <c>"fields": {…}</c> for a JSON object.</summary>
    public static void WriteFields(Utf8JsonWriter writer, JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object)
            throw new InvalidOperationException($"A Firestore document is a JSON object; this document serializes to a {document.ValueKind}.");
        writer.WriteStartObject("fields");
        foreach (var property in document.EnumerateObject())
        {
            writer.WritePropertyName(property.Name);
            WriteValue(writer, property.Value);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes the JSON object that a document's <c>fields</c> describe.</summary>
    public static void WriteJson(Utf8JsonWriter writer, JsonElement fields)
    {
        writer.WriteStartObject();
        if (fields.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in fields.EnumerateObject())
            {
                writer.WritePropertyName(field.Name);
                WriteJsonValue(writer, field.Value);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement value)
    {
        writer.WriteStartObject();
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject("mapValue");
                WriteFields(writer, value);
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartObject("arrayValue");
                writer.WriteStartArray("values");
                foreach (var item in value.EnumerateArray()) WriteValue(writer, item);
                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            case JsonValueKind.String:
                writer.WriteString("stringValue", value.GetString());
                break;
            case JsonValueKind.Number when value.TryGetInt64(out var whole):
                writer.WriteString("integerValue", whole.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.Number:
                writer.WritePropertyName("doubleValue");
                writer.WriteRawValue(value.GetRawText());
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                writer.WriteBoolean("booleanValue", value.GetBoolean());
                break;
            default:
                writer.WriteNull("nullValue");
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteJsonValue(Utf8JsonWriter writer, JsonElement value)
    {
        var property = value.ValueKind == JsonValueKind.Object ? value.EnumerateObject().FirstOrDefault() : default;
        switch (property.Name)
        {
            case "mapValue":
                WriteJson(writer, property.Value.TryGetProperty("fields", out var fields) ? fields : default);
                break;
            case "arrayValue":
                writer.WriteStartArray();
                if (property.Value.TryGetProperty("values", out var values))
                {
                    foreach (var item in values.EnumerateArray()) WriteJsonValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case "integerValue":
                writer.WriteRawValue(property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText());
                break;
            case "doubleValue":
                if (property.Value.ValueKind == JsonValueKind.Number) writer.WriteRawValue(property.Value.GetRawText());
                else writer.WriteStringValue(property.Value.GetString()); // NaN, Infinity
                break;
            case "booleanValue":
                writer.WriteBooleanValue(property.Value.GetBoolean());
                break;
            case "stringValue" or "timestampValue" or "bytesValue" or "referenceValue":
                writer.WriteStringValue(property.Value.GetString());
                break;
            case "geoPointValue":
                property.Value.WriteTo(writer);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
