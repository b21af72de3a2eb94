using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

namespace Portable.Aws.Events;

/// <summary>
/// Reads a Lambda event once, as a <see cref="JsonDocument"/> over the event's own bytes (no copy: the document keeps only
/// the positions of its tokens), and the checks the dispatcher makes on its parts. Every way an event can be unreadable
/// (empty, not UTF-8, not JSON, nested too deep, a field of the wrong type) is an <see cref="InvalidInputException"/>
/// that names the field, so the loop answers <c>Runtime.InvalidEvent</c>, an SQS batch fails only the record, and an HTTP
/// event answers 400; never an unhandled exception.
/// </summary>
internal static class EventJson
{
    /// <summary>The reader settings of <see cref="AwsJsonContext"/>: comments skipped, trailing commas allowed, at most 64 levels.</summary>
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    /// <summary>Parses the event (a leading byte-order mark is skipped). The document refers to <paramref name="payload"/>, which must not change while it is used.</summary>
    /// <exception cref="InvalidInputException">The event is empty, not UTF-8, or not one JSON value within 64 levels.</exception>
    public static JsonDocument Parse(ReadOnlyMemory<byte> payload)
    {
        CheckText(payload.Span);
        try
        {
            return JsonDocument.Parse(payload, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"The event is not JSON: {e.Message}", e);
        }
    }

    /// <summary>Checks the event is not empty and is UTF-8, before it is read as JSON.</summary>
    /// <exception cref="InvalidInputException">The event is empty or not UTF-8.</exception>
    public static void CheckText(ReadOnlySpan<byte> payload)
    {
        if (payload.Trim(" \t\r\n"u8).IsEmpty) throw new InvalidInputException("The event is empty: Lambda events are JSON.");
        if (!Utf8.IsValid(payload))
        {
            throw new InvalidInputException($"The event is not valid UTF-8 (first invalid byte at offset {FirstInvalidByte(payload).ToString(CultureInfo.InvariantCulture)}): Lambda events are UTF-8 JSON.");
        }
    }

    /// <summary>Reads a whole event into its typed shape; a field of the wrong type names the field.</summary>
    /// <exception cref="InvalidInputException">The event does not have the shape.</exception>
    public static T Read<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> shape, string part)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, shape) ?? throw new InvalidInputException($"{part} is null.");
        }
        catch (JsonException e)
        {
            throw Unreadable(part, e);
        }
    }

    /// <summary>Reads a part of the event into its typed shape; a field of the wrong type names the part and the field.</summary>
    /// <exception cref="InvalidInputException">The part does not have the shape.</exception>
    public static T Read<T>(JsonElement element, JsonTypeInfo<T> shape, string part)
        where T : class
    {
        try
        {
            return element.Deserialize(shape) ?? throw new InvalidInputException($"{part} is null.");
        }
        catch (JsonException e)
        {
            throw Unreadable(part, e);
        }
    }

    private static InvalidInputException Unreadable(string part, JsonException e)
    {
        var at = e.Path is { Length: > 0 } path && !e.Message.Contains(path, StringComparison.Ordinal) ? $" (at {path})" : "";
        return new InvalidInputException($"{part} cannot be read: {e.Message}{at}", e);
    }

    /// <summary>A string property; null when it is absent or null.</summary>
    /// <exception cref="InvalidInputException">It is there but not a string.</exception>
    public static string? OptionalString(JsonElement parent, string name, string part)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw WrongKind(part, name, value, "a string");
        return Text(value) ?? throw new InvalidInputException($"{part}: '{name}' is not valid text (an escaped lone surrogate).");
    }

    /// <summary>A JSON string's text; null when it is not a string or not valid UTF-16 (an escaped lone surrogate such as <c>\ud800</c>).</summary>
    public static string? Text(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return null;
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>An object property; null when it is absent or null.</summary>
    /// <exception cref="InvalidInputException">It is there but not an object.</exception>
    public static JsonElement? OptionalObject(JsonElement parent, string name, string part)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Object ? value : throw WrongKind(part, name, value, "an object");
    }

    /// <summary>An ISO 8601 time property (EventBridge <c>time</c>, S3 <c>eventTime</c>); null when it is absent or null.</summary>
    /// <exception cref="InvalidInputException">It is there but not a time.</exception>
    public static DateTimeOffset? OptionalTime(JsonElement parent, string name, string part)
    {
        var text = OptionalString(parent, name, part);
        if (text is null) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new InvalidInputException($"{part}: '{name}' is not a time (ISO 8601, such as 2026-11-30T08:00:00Z): '{Shorten(text)}'.");
    }

    /// <summary>The error for a property of the wrong JSON kind.</summary>
    public static InvalidInputException WrongKind(string part, string name, JsonElement value, string expected)
        => new($"{part}: '{name}' is {Article(value.ValueKind)}, not {expected}.");

    /// <summary>The JSON kind, for a message: "a number", "an array".</summary>
    public static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>A value cut to 100 characters for a message or a log line.</summary>
    public static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";

    private static int FirstInvalidByte(ReadOnlySpan<byte> utf8)
    {
        Span<char> chars = stackalloc char[256];
        var offset = 0;
        while (true)
        {
            var status = Utf8.ToUtf16(utf8[offset..], chars, out var read, out _, replaceInvalidSequences: false);
            offset += read;
            if (status != System.Buffers.OperationStatus.DestinationTooSmall) return offset;
        }
    }
}
