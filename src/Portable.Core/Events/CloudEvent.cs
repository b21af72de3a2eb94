using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Portable;

/// <summary>A CloudEvents 1.0 event, the shape every platform's storage and custom events are given to event functions (<c>MapEvent</c>) in.</summary>
public sealed record CloudEvent
{
    /// <summary>The event id, unique for its source.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The URI reference of the event's producer.</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>The event type, such as <c>google.cloud.storage.object.v1.finalized</c>.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>The CloudEvents version; always <c>1.0</c>.</summary>
    [JsonPropertyName("specversion")]
    public string SpecVersion { get; init; } = "1.0";

    /// <summary>The subject within the source, such as an object name.</summary>
    [JsonPropertyName("subject")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Subject { get; init; }

    /// <summary>When the occurrence happened.</summary>
    [JsonPropertyName("time")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? Time { get; init; }

    /// <summary>The media type of <see cref="Data"/>.</summary>
    [JsonPropertyName("datacontenttype")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DataContentType { get; init; }

    /// <summary>The schema <see cref="Data"/> adheres to.</summary>
    [JsonPropertyName("dataschema")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DataSchema { get; init; }

    /// <summary>The event payload as JSON, when it has one.</summary>
    [JsonPropertyName("data")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Data { get; init; }

    /// <summary>Extension attributes, by their lower-case names.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extensions { get; set; }

    /// <summary>Reads <see cref="Data"/> as a typed value.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="typeInfo">Its source-generated JSON metadata.</param>
    /// <returns>The payload, or default when the event has none.</returns>
    /// <exception cref="InvalidInputException">The payload is not a valid <typeparamref name="T"/>.</exception>
    public T? GetData<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (Data is not { } data || data.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return default;
        var input = Json.PortableJson.ForInput(typeInfo); // required members and non-nullable properties hold, as for messages
        Json.InputStringLimit.Check(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(data), input.Options, $"The data of event '{Id}'");
        try
        {
            return data.Deserialize(input);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException(Json.PortableJson.Invalid(e, input, $"The data of event '{Id}'", data).Message, e);
        }
    }
}
